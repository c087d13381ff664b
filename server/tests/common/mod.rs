//! Test databases: every integration test runs against SQLite (a fresh file)
//! and, when `TEST_DATABASE_URL` is set, against PostgreSQL too, in a schema
//! of its own so that parallel tests and runs never see each other's rows.

#![allow(dead_code)]

use app::backend::{AppState, db, settings::Settings};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use tempfile::TempDir;

/// One migrated database and what it takes to clean it up.
pub struct TestDb {
    pub name: &'static str,
    pub db: DatabaseConnection,
    pub dir: TempDir,
    pg_schema: Option<(String, String)>,
}

impl TestDb {
    /// App state over this database, with data and mailbox in a temp folder.
    pub fn state(&self) -> AppState {
        let mut settings = Settings::default();
        settings.storage.data_dir = self.dir.path().to_path_buf();
        // Cheap hashing: the tests are about behaviour, not cost.
        settings.security.argon2_memory_kib = 1024;
        settings.security.argon2_iterations = 1;
        AppState::new(self.db.clone(), settings).expect("state")
    }

    /// Drops the PostgreSQL schema (SQLite's file goes with the temp folder).
    pub async fn cleanup(self) {
        if let Some((url, schema)) = self.pg_schema {
            if let Ok(admin) = Database::connect(url.as_str()).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                    .await;
            }
        }
    }
}

/// A fresh SQLite database only (for tests of the HTTP layer, where the
/// backend makes no difference).
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.sqlite").display());
    let db = db::connect(&url, 5).await.expect("sqlite connects");
    db::migrate(&db).await.expect("sqlite migrates");
    TestDb { name: "sqlite", db, dir, pg_schema: None }
}

async fn postgres(url: &str) -> TestDb {
    let schema = format!("portal_test_{:016x}", rand::random::<u64>());
    let admin = Database::connect(url).await.expect("postgres connects");
    admin
        .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
        .await
        .expect("schema created");
    admin.close().await.ok();
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(5).sqlx_logging(false).set_schema_search_path(schema.clone());
    let db = Database::connect(options).await.expect("postgres schema connects");
    db::migrate(&db).await.expect("postgres migrates");
    let dir = tempfile::tempdir().expect("temp dir");
    TestDb { name: "postgres", db, dir, pg_schema: Some((url.to_owned(), schema)) }
}

/// SQLite, then PostgreSQL if `TEST_DATABASE_URL` is set.
pub async fn backends() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        if !url.trim().is_empty() {
            all.push(postgres(url.trim()).await);
        }
    }
    all
}
