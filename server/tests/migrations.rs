//! The migrations apply, roll back and apply again on every backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::migration::Migrator;
use sea_orm_migration::MigratorTrait;

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    common::on_every_backend(async |backend| {
        // on_every_backend has already applied them.
        assert!(
            Migrator::get_pending_migrations(&backend.db)
                .await
                .unwrap()
                .is_empty()
        );
        Migrator::down(&backend.db, None).await.unwrap();
        assert!(
            !Migrator::get_pending_migrations(&backend.db)
                .await
                .unwrap()
                .is_empty()
        );
        Migrator::up(&backend.db, None).await.unwrap();
        assert!(
            Migrator::get_pending_migrations(&backend.db)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}
