//! Opening the database and bringing its schema up to date.
//!
//! SQLite (embedded default) and PostgreSQL (by configuration) go through the
//! same code; nothing here or in the migrations is specific to one of them,
//! except the SQLite pragmas that make a file database behave under
//! concurrent use.

use crate::backend::migration::Migrator;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// Connects to `url` with at most `max_connections` pooled connections.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // sqlx pings a pooled connection before lending it, to find one the
        // database server dropped. An SQLite connection is a file opened in
        // this process, which nothing drops; its ping is a round trip to the
        // connection's worker thread, as costly as a small query's (issue
        // 16: such hand-offs took a fifth of a page's time; dropping the
        // ping alone moved the page's throughput little, so it is kept out
        // for its cost, not as a cure). A PostgreSQL connection
        // keeps the ping: a restarted server would otherwise fail one
        // request per pooled connection.
        options.test_before_acquire(false);
    }
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers proceed while one connection writes (it is a
        // property of the file, so one statement suffices). sqlx already
        // turns foreign keys on and waits 5 s on a busy database for every
        // connection it opens.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

/// Applies every pending migration.
///
/// On PostgreSQL, instances that start together (a deployment restarting
/// them, issue 18) migrate one at a time: each takes a transaction-scoped
/// advisory lock on its schema first, so the second waits for the first to
/// commit, then finds nothing pending. Without it both would create the
/// same tables and one would fail to start. (sea-orm-migration runs the
/// migrations in a savepoint of this transaction.) SQLite is one process's
/// file: nothing to coordinate.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    let txn = db.begin().await?;
    txn.execute_unprepared(
        "SELECT pg_advisory_xact_lock(hashtext('facturo migrations ' || current_schema()))",
    )
    .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// A `LIKE` pattern finding `text` anywhere, its `%`, `_` and `\` taken
/// literally (with `ESCAPE '\'`, which [`contains`] adds).
pub fn contains_literal(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The `LIKE` expression finding `text` anywhere (see [`contains_literal`]).
pub fn contains(text: &str) -> sea_orm::sea_query::LikeExpr {
    sea_orm::sea_query::LikeExpr::new(contains_literal(text)).escape('\\')
}

/// A page (from 0) of `query`'s rows and how many rows it has in all: every
/// paginated list's two queries, written once. The offset saturates, so a
/// hostile page number finds an empty page instead of overflowing.
pub async fn page_of<C, E>(
    conn: &C,
    query: sea_orm::Select<E>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<E::Model>, u64), DbErr>
where
    C: ConnectionTrait,
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    let total = query.clone().count(conn).await?;
    let rows = query
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(conn)
        .await?;
    Ok((rows, total))
}
