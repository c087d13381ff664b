//! The migrations apply, roll back and apply again on every backend, and
//! instances starting together on one PostgreSQL database migrate it once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::db;
use app::backend::migration::Migrator;
use sea_orm_migration::MigratorTrait;

async fn nothing_pending(conn: &sea_orm::DatabaseConnection) -> bool {
    Migrator::get_pending_migrations(conn)
        .await
        .unwrap()
        .is_empty()
}

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    common::on_every_backend(async |backend| {
        // on_every_backend has already applied them.
        assert!(nothing_pending(&backend.db).await);
        Migrator::down(&backend.db, None).await.unwrap();
        assert!(!nothing_pending(&backend.db).await);
        Migrator::up(&backend.db, None).await.unwrap();
        assert!(nothing_pending(&backend.db).await);
    })
    .await;
}

/// Two instances of a deployment starting together on one PostgreSQL
/// database: both start, the schema is migrated once (issue 18). SQLite is
/// one process's file, never shared by instances.
#[tokio::test]
async fn instances_starting_together_both_migrate_the_shared_database() {
    common::on_every_backend(async |backend| {
        if backend.pg_schema().is_none() {
            return;
        }
        Migrator::down(&backend.db, None).await.unwrap();
        let (first, second) = tokio::join!(db::migrate(&backend.db), db::migrate(&backend.db));
        first.unwrap();
        second.unwrap();
        assert!(nothing_pending(&backend.db).await);
    })
    .await;
}
