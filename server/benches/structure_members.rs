//! *Utilisateurs rattachés à la structure* (issue 11, rule M2) for a
//! structure with 10 000 attached users: milliseconds per page of the users
//! table (sorted and filtered, as the server function asks
//! `backend::structures::members::for_manager`), and the time of its CSV
//! export over HTTP (`GET /structures/{id}/utilisateurs.csv`, through the
//! portal's router, as a manager's browser asks it), in the embedded
//! SQLite and, when `TEST_DATABASE_URL` is set, in PostgreSQL.
//!
//! Run: `cargo bench -p server --bench structure_members` (release build).
//! The users, their memberships and their default profiles are inserted
//! first (not timed); then each listing of [`LISTINGS`] runs [`ROUNDS`]
//! times and the median and 99th percentile are printed, then the export
//! runs [`EXPORTS`] times. `MEMBERS_BENCH_ROWS` changes the user count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: a failure is a panic

#[path = "support/mod.rs"]
mod support;

use app::backend::entities::membership::{self, Role};
use app::backend::entities::profile;
use app::backend::entities::structure::{self, StructureStatus};
use app::backend::entities::user::{self, UserStatus};
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::backend::settings::Settings;
use app::backend::structures::members::{self, user_search_key};
use app::backend::{AppState, authorisations};
use app::domain::authorisations::{Origin, default_level};
use app::domain::factors::Factor;
use app::domain::members::{MemberQuery, MemberSort};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use std::time::Instant;
use tower::ServiceExt;

const LAST_NAMES: [&str; 10] = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau",
];
const FIRST_NAMES: [&str; 8] = [
    "Élodie", "Inès", "Léa", "Marie", "Hugo", "Lucas", "Jules", "Zoé",
];
/// Rows per page: 20, one of the sizes the page offers
/// (`domain::paging::PAGE_SIZES`).
const PER_PAGE: u64 = 20;
/// The first page by name; by last login, newest first, filtered on a
/// name (a tenth match); a filter on a login address fragment (11 match);
/// a deep page; a filter that matches nothing.
const LISTINGS: [(&str, &str, MemberSort, bool, u64); 5] = [
    ("by name", "", MemberSort::LastName, false, 0),
    (
        "dubois, last login",
        "dubois",
        MemberSort::LastLogin,
        true,
        0,
    ),
    (
        "user123, by address",
        "user123",
        MemberSort::LoginEmail,
        false,
        0,
    ),
    (
        "page 400 by first name",
        "",
        MemberSort::FirstName,
        false,
        400,
    ),
    ("no match", "zzz", MemberSort::LastName, false, 0),
];
const ROUNDS: usize = 200;
const EXPORTS: usize = 5;

fn person(i: u32, now: chrono::DateTime<Utc>) -> user::ActiveModel {
    let last = LAST_NAMES[i as usize % LAST_NAMES.len()];
    let first = FIRST_NAMES[(i as usize / LAST_NAMES.len()) % FIRST_NAMES.len()];
    let email = format!("user{i}@example.fr");
    user::ActiveModel {
        search_key: Set(user_search_key(last, first, &email)),
        login_email: Set(email.clone()),
        contact_email: Set(email),
        last_name: Set(last.into()),
        first_name: Set(first.into()),
        phone: Set(None),
        password_hash: Set(None),
        status: Set(UserStatus::Active),
        language: Set("fr".into()),
        accessibility: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        // A third never logged in.
        last_login_at: Set((!i.is_multiple_of(3)).then(|| now - Duration::minutes(i64::from(i)))),
        email_code_refused: Set(false),
        ..Default::default()
    }
}

/// The structure, its primary manager, and `rows` members with their
/// default profiles. Returns the structure's and the manager's ids.
async fn fill(conn: &DatabaseConnection, rows: u32) -> Result<(i32, i32), sea_orm::DbErr> {
    let now = Utc::now();
    let owner = person(u32::MAX, now).insert(conn).await?;
    let target = structure::ActiveModel {
        identifier_type: Set("hors_ue".into()),
        identifier_key: Set("BENCH".into()),
        identifier: Set("BENCH".into()),
        name_key: Set("BENCH".into()),
        name: Set("Bench".into()),
        label: Set(None),
        email: Set(None),
        phone: Set(None),
        non_diffusible: Set(false),
        address_complement: Set(None),
        street: Set(None),
        postal_code: Set(None),
        city: Set(None),
        country: Set(None),
        status: Set(StructureStatus::Active),
        created_by: Set(owner.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    authorisations::attach(conn, target.id, owner.id, Origin::Creator, now).await?;
    let (_, applications) = authorisations::catalogue(conn).await?;
    for start in (0..rows).step_by(500) {
        let txn = conn.begin().await?;
        let end = (start + 500).min(rows);
        let users = (start..end).map(|i| person(i, now));
        user::Entity::insert_many(users).exec(&txn).await?;
        let emails = (start..end).map(|i| format!("user{i}@example.fr"));
        let ids: Vec<i32> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::LoginEmail.is_in(emails))
            .into_tuple()
            .all(&txn)
            .await?;
        let memberships = ids.into_iter().map(|user_id| membership::ActiveModel {
            structure_id: Set(target.id),
            user_id: Set(user_id),
            role: Set(Role::Member),
            created_at: Set(now),
            ..Default::default()
        });
        membership::Entity::insert_many(memberships)
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    // Profiles for every membership but the owner's, in batches.
    let ids: Vec<i32> = membership::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .filter(|m| m.role == Role::Member)
        .map(|m| m.id)
        .collect();
    for chunk in ids.chunks(100) {
        let rows = chunk.iter().flat_map(|id| {
            applications.iter().map(move |a| profile::ActiveModel {
                membership_id: Set(*id),
                application_code: Set(a.code.clone()),
                level: Set(default_level(&a.code, Origin::Attached).into()),
                granted_at: Set(now),
            })
        });
        profile::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok((target.id, owner.id))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

async fn measure(
    name: &str,
    conn: &DatabaseConnection,
    rows: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let (structure_id, owner_id) = fill(conn, rows).await?;
    println!(
        "{name:<10} {rows} users attached in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    for (label, filter, sort, descending, page) in LISTINGS {
        let query = MemberQuery {
            filter: filter.into(),
            sort,
            descending,
        };
        let mut times = Vec::with_capacity(ROUNDS);
        let mut total = 0;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let view =
                members::for_manager(conn, owner_id, structure_id, &query, page, PER_PAGE).await?;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            total = view.total;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<10} {label:<24} {total:>6} users: median {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    // The export, over HTTP, as a manager's browser asks it.
    let mut settings = Settings::default();
    let dir = tempfile::tempdir()?;
    settings.storage.data_dir = dir.path().to_path_buf();
    let state = AppState::new(conn.clone(), settings)?;
    let now = state.clock.now();
    let token = sessions::create(
        conn,
        &SessionState::logged_in(owner_id, now, Factor::EmailCode),
        Lifetimes::from_settings(&state.settings),
        now,
    )
    .await?;
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build();
    let router = server::router(state, options, false);
    let mut times = Vec::with_capacity(EXPORTS);
    let mut bytes = 0;
    for _ in 0..EXPORTS {
        let request = Request::get(format!("/structures/{structure_id}/utilisateurs.csv"))
            .header(header::COOKIE, format!("portal_session={}", token.expose()))
            .body(Body::empty())?;
        let start = Instant::now();
        let response = router.clone().oneshot(request).await?;
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.into_body().collect().await?.to_bytes();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        bytes = body.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{name:<10} CSV export of {} users ({} KB): median {:.0} ms, slowest {:.0} ms",
        rows + 1,
        bytes / 1024,
        percentile(&times, 0.5),
        times[EXPORTS - 1]
    );
    Ok(())
}

#[tokio::main]
async fn main() -> support::BenchResult {
    let rows: u32 = std::env::var("MEMBERS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    support::on_each_database("members", async |name, conn| {
        measure(name, conn, rows).await
    })
    .await
}
