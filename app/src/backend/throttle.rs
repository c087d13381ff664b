//! Brute-force protection (rule L5): a counter per key (`account:<id>`,
//! `ip:<address>`, …) in the database, shared by every server instance.
//!
//! For accounts, every attempt first *reserves* a try with one conditional
//! `UPDATE`: it succeeds only while fewer than `max` tries are counted, so
//! fifty attempts sent at once get at most `max` tries through, however they
//! interleave. The try that takes the last slot locks the key at once; a
//! success resets the counter; a lock ends by itself at `locked_until`, and
//! the next try starts a fresh count. For client addresses, where successes
//! must not reset anything, only failures are counted with the same update.

use crate::backend::entities::login_throttle;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

/// The limits of one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Tries allowed before the lock.
    pub max: u32,
    /// How long the lock lasts.
    pub lock: Duration,
}

/// The outcome of a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Try {
    /// Go ahead; call [`succeeded`] if the attempt succeeds.
    Granted,
    /// Refused until this time.
    Locked { until: DateTime<Utc> },
}

/// Reserves a try for `key` (see the module documentation).
pub async fn reserve<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<Try, DbErr> {
    ensure_row(conn, key, now).await?;
    let max = i32::try_from(limit.max.max(1)).unwrap_or(i32::MAX);
    let expired = Expr::col(login_throttle::Column::LockedUntil).lte(now);
    let attempts = CaseStatement::new()
        .case(expired.clone(), Expr::val(1))
        .finally(Expr::col(login_throttle::Column::Attempts).add(1));
    // The new count reaches `max`: lock now, before the try even runs.
    let mut last_slot =
        Condition::any().add(Expr::expr(Expr::col(login_throttle::Column::Attempts).add(1)).gte(max));
    if max <= 1 {
        // A fresh count (after an expired lock) starts at 1: the last slot too.
        last_slot = last_slot.add(expired.clone());
    }
    let locked_until = CaseStatement::new()
        .case(last_slot, Expr::val(now + limit.lock))
        .case(expired.clone(), Expr::val(Option::<DateTime<Utc>>::None))
        .finally(Expr::col(login_throttle::Column::LockedUntil));
    let result = login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::Attempts, attempts.into())
        .col_expr(login_throttle::Column::LockedUntil, locked_until.into())
        .col_expr(login_throttle::Column::UpdatedAt, Expr::val(now).into())
        .filter(login_throttle::Column::Key.eq(key))
        .filter(
            Condition::any()
                .add(login_throttle::Column::Attempts.lt(max))
                .add(login_throttle::Column::LockedUntil.lte(now)),
        )
        .exec(conn)
        .await?;
    if result.rows_affected == 1 {
        return Ok(Try::Granted);
    }
    Ok(Try::Locked { until: locked_until_of(conn, key).await?.unwrap_or(now + limit.lock) })
}

/// Records a failure for `key` (client addresses); same counting as
/// [`reserve`], whose verdict the caller reads with [`locked_until`].
pub async fn count_failure<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    reserve(conn, key, limit, now).await.map(|_| ())
}

/// When `key`'s lock ends, if it is locked at `now`.
pub async fn locked_until<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(locked_until_of(conn, key).await?.filter(|until| *until > now))
}

/// A successful attempt: the count starts again.
pub async fn succeeded<C: ConnectionTrait>(conn: &C, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::Attempts, Expr::val(0).into())
        .col_expr(
            login_throttle::Column::LockedUntil,
            Expr::val(Option::<DateTime<Utc>>::None).into(),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

async fn ensure_row<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        attempts: Set(0),
        locked_until: Set(None),
        updated_at: Set(now),
    };
    login_throttle::Entity::insert(row)
        .on_conflict(OnConflict::column(login_throttle::Column::Key).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

async fn locked_until_of<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(login_throttle::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await?
        .and_then(|row| row.locked_until))
}
