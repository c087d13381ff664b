//! The test harness itself: `on_every_backend` runs a test on each database
//! in turn and leaves none behind, even when the test panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use futures::FutureExt;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Mutex;

/// What a body saw of one backend: its name, temp folder and schema.
type Seen = (&'static str, PathBuf, Option<String>);

/// Runs `on_every_backend` with a body that writes a row, records the
/// backend and panics on `panic_on`; returns what it saw and the panic.
async fn run(panic_on: Option<&str>) -> (Vec<Seen>, Option<String>) {
    let seen = Mutex::new(Vec::new());
    let outcome = AssertUnwindSafe(common::on_every_backend(async |backend| {
        seen.lock().unwrap().push((
            backend.name,
            backend.dir.path().to_owned(),
            backend.pg_schema().map(str::to_owned),
        ));
        common::active_user(&backend.state(), "lea@example.fr").await;
        if panic_on == Some(backend.name) {
            panic!("on purpose on {}", backend.name);
        }
    }))
    .catch_unwind()
    .await;
    let panic = outcome.err().map(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .expect("the body's own panic")
    });
    (seen.into_inner().unwrap(), panic)
}

/// Fails if anything a backend left behind remains: its temp folder, or
/// its PostgreSQL schema.
async fn assert_nothing_left(seen: &[Seen]) {
    for (name, dir, schema) in seen {
        assert!(!dir.exists(), "{name}: {} remains", dir.display());
        assert_eq!(schema.is_some(), *name == "postgres", "{name}");
        if let Some(schema) = schema {
            assert!(!schema_exists(schema).await, "schema {schema} remains");
        }
    }
}

/// Whether `schema` exists, seen from a fresh admin connection.
async fn schema_exists(schema: &str) -> bool {
    let url = common::postgres_url().expect("a schema means PostgreSQL");
    let admin = Database::connect(url.as_str()).await.unwrap();
    let found = admin
        .query_one(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1",
            [schema.into()],
        ))
        .await
        .unwrap();
    admin.close().await.unwrap();
    found.is_some()
}

fn expected_backends() -> Vec<&'static str> {
    if common::postgres_url().is_some() {
        vec!["sqlite", "postgres"]
    } else {
        vec!["sqlite"]
    }
}

#[tokio::test]
async fn a_passing_body_runs_on_each_backend_and_each_is_dropped() {
    let (seen, panic) = run(None).await;
    assert_eq!(panic, None);
    let names: Vec<_> = seen.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(names, expected_backends());
    assert_nothing_left(&seen).await;
}

#[tokio::test]
async fn a_panicking_body_fails_the_test_and_leaves_no_database_behind() {
    // The last backend, so that every backend has been created once.
    let last = *expected_backends().last().unwrap();
    let (seen, panic) = run(Some(last)).await;
    assert_eq!(panic, Some(format!("on purpose on {last}")));
    let names: Vec<_> = seen.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(names, expected_backends());
    assert_nothing_left(&seen).await;
}

#[tokio::test]
async fn a_panic_on_sqlite_ends_the_test_before_postgres() {
    let (seen, panic) = run(Some("sqlite")).await;
    assert_eq!(panic, Some("on purpose on sqlite".to_owned()));
    let names: Vec<_> = seen.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(names, ["sqlite"]);
    assert_nothing_left(&seen).await;
}
