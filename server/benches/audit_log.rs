//! Support's audit log (issue 14, rule U2) with one million entries:
//! milliseconds per filtered page (`backend::audit::reading::page`, as the
//! `audit-log` server function asks it) in the embedded SQLite and, when
//! `TEST_DATABASE_URL` is set, in PostgreSQL. Target: p99 under 50 ms for
//! every filter.
//!
//! Run: `cargo bench -p server --bench audit_log` (release build). 10 000
//! users, 1 000 structures and the entries (a year of them, one event type
//! in three a login, a fifth about a structure) are inserted first (not
//! timed); then each listing of [`LISTINGS`] runs [`ROUNDS`] times and the
//! median and 99th percentile are printed. `AUDIT_BENCH_ROWS` changes the
//! entry count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: a failure is a panic

#[path = "support/mod.rs"]
mod support;

use app::backend::AppState;
use app::backend::audit::reading;
use app::backend::entities::audit_log;
use app::backend::entities::structure::{self, StructureStatus};
use app::backend::entities::user::{self, UserStatus};
use app::backend::settings::Settings;
use app::backend::support::Agent;
use app::domain::audit::{AUDIT_PER_PAGE, AuditFilters, AuditQuery};
use app::domain::factors::Factor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, Set, TransactionTrait};
use std::time::Instant;

const USERS: u32 = 10_000;
const STRUCTURES: u32 = 1_000;
const ROUNDS: usize = 200;
/// Event types and their weights (out of 100).
const EVENTS: [(&str, u32); 8] = [
    ("login.succeeded", 34),
    ("login.password_ok", 30),
    ("login.failed", 15),
    ("attachment.requested", 8),
    ("profile.changed", 6),
    ("account.details_changed", 4),
    ("structure.created", 2),
    ("structure.rejected", 1),
];

/// A small deterministic generator: the same log on every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(below)) as u32
    }
}

fn email(i: u32) -> String {
    format!("user{i}@example.fr")
}

async fn fill(
    conn: &DatabaseConnection,
    rows: u32,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let txn = conn.begin().await?;
    for start in (0..USERS).step_by(500) {
        let users = (start..(start + 500).min(USERS)).map(|i| user::ActiveModel {
            search_key: Set(email(i)),
            login_email: Set(email(i)),
            contact_email: Set(email(i)),
            last_name: Set("Martin".into()),
            first_name: Set("Léa".into()),
            phone: Set(None),
            password_hash: Set(None),
            status: Set(UserStatus::Active),
            language: Set("fr".into()),
            accessibility: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            last_login_at: Set(None),
            email_code_refused: Set(false),
            ..Default::default()
        });
        user::Entity::insert_many(users).exec(&txn).await?;
    }
    let first_user = user::Entity::find().one(&txn).await?.map_or(1, |u| u.id);
    for start in (0..STRUCTURES).step_by(500) {
        let structures = (start..(start + 500).min(STRUCTURES)).map(|i| structure::ActiveModel {
            identifier_type: Set("hors_ue".into()),
            identifier_key: Set(format!("BENCH{i}")),
            identifier: Set(format!("BENCH{i}")),
            name_key: Set(format!("BENCH {i}")),
            name: Set(format!("Bench {i}")),
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
            created_by: Set(first_user),
            created_at: Set(now),
            ..Default::default()
        });
        structure::Entity::insert_many(structures)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    let first_structure = structure::Entity::find()
        .one(conn)
        .await?
        .map_or(1, |s| s.id);
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let year = Duration::days(365).num_seconds() as f64;
    for start in (0..rows).step_by(1_000) {
        let txn = conn.begin().await?;
        let entries: Vec<_> = (start..(start + 1_000).min(rows))
            .map(|i| {
                let mut pick = draw.next(100);
                let event = EVENTS
                    .iter()
                    .find(|(_, weight)| {
                        let found = pick < *weight;
                        pick = pick.saturating_sub(*weight);
                        found
                    })
                    .map_or("login.succeeded", |(event, _)| event);
                let user = first_user + draw.next(USERS) as i32;
                let structure =
                    (draw.next(5) == 0).then(|| first_structure + draw.next(STRUCTURES) as i32);
                // Oldest first, a year back to now.
                let age = year * (1.0 - f64::from(i) / f64::from(rows));
                audit_log::ActiveModel {
                    occurred_at: Set(now - Duration::seconds(age as i64)),
                    actor_user_id: Set(Some(user)),
                    event: Set(event.into()),
                    subject: Set(Some(format!("user:{user}"))),
                    subject_user_id: Set(Some(user)),
                    structure_id: Set(structure),
                    client_ip: Set(Some("192.0.2.1".into())),
                    details: Set("{}".into()),
                    ..Default::default()
                }
            })
            .collect();
        audit_log::Entity::insert_many(entries).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// The listings measured: a name, the filters, and how many pages deep.
fn listings(now: DateTime<Utc>) -> Vec<(&'static str, AuditFilters, usize)> {
    let day = |days: i64| (now - Duration::days(days)).format("%Y-%m-%d").to_string();
    let filters =
        |user: &str, structure: &str, event: &str, from: String, to: String| AuditFilters {
            user: user.into(),
            structure: structure.into(),
            event: event.into(),
            from,
            to,
        };
    let none = String::new;
    vec![
        ("newest, no filter", AuditFilters::default(), 0),
        ("no filter, page 20", AuditFilters::default(), 19),
        (
            "one user",
            filters("user4242@example.fr", "", "", none(), none()),
            0,
        ),
        (
            "one structure",
            filters("", "BENCH420", "", none(), none()),
            0,
        ),
        (
            "frequent event",
            filters("", "", "login.succeeded", none(), none()),
            0,
        ),
        (
            "rare event",
            filters("", "", "structure.rejected", none(), none()),
            0,
        ),
        (
            "one week, 200 days ago",
            filters("", "", "", day(207), day(200)),
            0,
        ),
        (
            "rare event, one month",
            filters("", "", "structure.rejected", day(120), day(90)),
            0,
        ),
        (
            "user and event",
            filters("user77@example.fr", "", "login.failed", none(), none()),
            0,
        ),
        (
            "user, one month",
            filters("user77@example.fr", "", "", day(60), day(30)),
            0,
        ),
        (
            "nothing matches",
            filters("", "", "no.such_event", none(), none()),
            0,
        ),
    ]
}

async fn measure(name: &str, conn: &DatabaseConnection, rows: u32) -> support::BenchResult {
    let now = Utc::now();
    let start = Instant::now();
    fill(conn, rows, now).await?;
    println!(
        "{name:<10} {rows} audit entries written in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    let mut settings = Settings::default();
    let dir = tempfile::tempdir()?;
    settings.storage.data_dir = dir.path().to_path_buf();
    settings.support.logins = vec![email(0)];
    let state = AppState::new(conn.clone(), settings)?;
    let agent_user = app::backend::accounts::find_by_login(conn, &email(0))
        .await?
        .expect("the first user");
    let agent =
        Agent::check(&state, agent_user, Some(Factor::Totp)).map_err(|e| format!("{e:?}"))?;
    for (label, filters, depth) in listings(now) {
        // The position of the page `depth` pages deep, as the page's
        // *Entrées plus anciennes* reaches it.
        let mut query = AuditQuery::parse(&filters, "").map_err(|e| format!("{e:?}"))?;
        for _ in 0..depth {
            let page = reading::page(&state, &agent, &query, AUDIT_PER_PAGE)
                .await
                .map_err(|e| format!("{e:?}"))?;
            query.before = page.next;
        }
        let mut times = Vec::with_capacity(ROUNDS);
        let mut found = 0;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let page = reading::page(&state, &agent, &query, AUDIT_PER_PAGE)
                .await
                .map_err(|e| format!("{e:?}"))?;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            found = page.lines.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<10} {label:<26} {found:>3} entries: median {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> support::BenchResult {
    let rows: u32 = std::env::var("AUDIT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    support::on_each_database("audit", async |name, conn| measure(name, conn, rows).await).await
}
