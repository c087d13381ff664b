//! What the database benches share: a run on a fresh, migrated SQLite file,
//! then on a PostgreSQL schema of its own when `TEST_DATABASE_URL` is set
//! (dropped afterwards, also when the run fails).

use app::backend::db;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub type BenchResult = Result<(), Box<dyn std::error::Error>>;

/// Runs `measure(name, connection)` on SQLite, then on PostgreSQL if
/// configured; `tag` names the PostgreSQL schema.
pub async fn on_each_database(
    tag: &str,
    measure: impl AsyncFn(&str, &DatabaseConnection) -> BenchResult,
) -> BenchResult {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let sqlite = db::connect(&url, 5).await?;
    db::migrate(&sqlite).await?;
    measure("sqlite", &sqlite).await?;

    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        let schema = format!("{tag}_bench_{}", std::process::id());
        let admin = Database::connect(url.as_str()).await?;
        admin
            .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
            .await?;
        let mut options = sea_orm::ConnectOptions::new(url.clone());
        options
            .set_schema_search_path(schema.clone())
            .sqlx_logging(false);
        let outcome = match Database::connect(options).await {
            Ok(pg) => match db::migrate(&pg).await {
                Ok(()) => measure("postgresql", &pg).await,
                Err(error) => Err(error.into()),
            },
            Err(error) => Err(error.into()),
        };
        admin
            .execute_unprepared(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await?;
        outcome?;
    }
    Ok(())
}
