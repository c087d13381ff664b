//! Type-ahead search of *Demander un rattachement* (issue 5, rule S5) on
//! one million structures: milliseconds per search (the count and the
//! first page, as the server function does; counts stop past 1 000), in the embedded SQLite and,
//! when `TEST_DATABASE_URL` is set, in PostgreSQL.
//!
//! Run: `cargo bench -p server --bench structure_search` (release build).
//! The structures are inserted first (not timed); then each query of
//! [`QUERIES`] runs [`ROUNDS`] times and the median and slowest times are
//! printed. `SEARCH_BENCH_ROWS` changes the row count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

#[path = "support/mod.rs"]
mod support;

use app::backend::attachments;
use app::backend::entities::structure::{self, StructureStatus};
use app::backend::entities::user::{self, UserStatus};
use app::backend::structures::search_key;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};
use std::time::Instant;

const WORDS: [&str; 20] = [
    "ATELIER",
    "BOULANGERIE",
    "CABINET",
    "COMMUNE",
    "CREME",
    "DUBOIS",
    "ELECTRICITE",
    "FACTURES",
    "GARAGE",
    "HORIZON",
    "INFORMATIQUE",
    "JARDINS",
    "LILAS",
    "MARCHE",
    "MENUISERIE",
    "NORD",
    "PLOMBERIE",
    "SERVICES",
    "TRANSPORTS",
    "VILLE",
];
/// A long prefix, a short one, a name in the middle of the alphabet, an
/// identifier prefix, and a search that matches nothing.
const QUERIES: [&str; 5] = [
    "informatique lilas 12",
    "bo",
    "Menuiserie Nord",
    "900000001234",
    "zzz",
];
const ROUNDS: usize = 50;

async fn fill(conn: &DatabaseConnection, rows: u32) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    let owner = user::ActiveModel {
        login_email: Set("bench@example.fr".into()),
        contact_email: Set("bench@example.fr".into()),
        last_name: Set("Bench".into()),
        first_name: Set("Bench".into()),
        phone: Set(None),
        password_hash: Set(None),
        status: Set(UserStatus::Active),
        language: Set("fr".into()),
        accessibility: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for start in (0..rows).step_by(1000) {
        let txn = conn.begin().await?;
        let batch = (start..(start + 1000).min(rows)).map(|i| {
            let name = format!(
                "{} {} {i}",
                WORDS[i as usize % 20],
                WORDS[(i as usize / 20) % 20]
            );
            let identifier = format!("{:014}", 90_000_000_000_000u64 + u64::from(i));
            structure::ActiveModel {
                identifier_type: Set("siret".into()),
                identifier_key: Set(identifier.clone()),
                identifier: Set(identifier),
                name_key: Set(search_key(&name)),
                name: Set(name),
                label: Set(None),
                email: Set(None),
                phone: Set(None),
                non_diffusible: Set(false),
                address_complement: Set(None),
                street: Set(None),
                postal_code: Set(None),
                city: Set(Some("LYON".into())),
                country: Set(None),
                status: Set(StructureStatus::Active),
                created_by: Set(owner.id),
                created_at: Set(now),
                ..Default::default()
            }
        });
        structure::Entity::insert_many(batch).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(())
}

async fn measure(
    name: &str,
    conn: &DatabaseConnection,
    rows: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    fill(conn, rows).await?;
    println!(
        "{name:<10} {rows} structures inserted in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    for query in QUERIES {
        let mut times = Vec::with_capacity(ROUNDS);
        let (mut total, mut more) = (0, false);
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let found = attachments::search(conn, query, 0, 10).await?;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            total = found.total;
            more = found.more;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<10} {query:<24} {total:>5}{} matches: median {:.2} ms, slowest {:.2} ms",
            if more { "+" } else { " " },
            times[ROUNDS / 2],
            times[ROUNDS - 1]
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> support::BenchResult {
    let rows: u32 = std::env::var("SEARCH_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    support::on_each_database("search", async |name, conn| measure(name, conn, rows).await).await
}
