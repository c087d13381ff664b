//! Brute-force counters (rule L5): a counter per key in the database,
//! shared by every server instance. The keys and their limits are chosen by
//! [`crate::backend::guard`]; this module only counts.
//!
//! Every attempt first *reserves* a try with one conditional `UPDATE`: it
//! succeeds only while the key is not locked, so fifty attempts sent at once
//! get at most `max` tries through, however they interleave. The try that
//! brings the count to `max` locks the key for `lock`. Counts decay: a count
//! whose first try is older than `window` (and which is not locked) starts
//! again at one. A success resets the count.
//!
//! Every `CASE` of the update is decided on the row as it was (SQL reads
//! the old row in a `SET` clause), so "fresh" is one expression used by
//! every column: the first failure after a lock has ended is counted as the
//! first of a new count, never as one more of the old.

use crate::backend::entities::login_throttle;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{CaseStatement, Condition as SqlCondition, Expr, OnConflict, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

/// The limits of one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Tries counted before the lock.
    pub max: u32,
    /// How long a count lasts: tries older than this are forgotten.
    pub window: Duration,
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

fn not_locked(now: DateTime<Utc>) -> SqlCondition {
    SqlCondition::any()
        .add(login_throttle::Column::LockedUntil.is_null())
        .add(login_throttle::Column::LockedUntil.lte(now))
}

/// The row starts a new count: its window has passed (or its count began
/// more than a window after `now`: the clock went back, and a count from
/// the future would never decay) and it is not locked.
///
/// A count a little ahead of `now` is the normal case under concurrency:
/// a request that read the clock a moment later has already written its
/// time. Starting again on that would let parallel attempts reset each
/// other's count, so only a count beyond a whole window ahead starts again
/// (it would otherwise have decayed at most a window late).
fn fresh(limit: Limit, now: DateTime<Utc>) -> SqlCondition {
    SqlCondition::all()
        .add(
            SqlCondition::any()
                .add(login_throttle::Column::UpdatedAt.lte(now - limit.window))
                .add(login_throttle::Column::UpdatedAt.gt(now + limit.window)),
        )
        .add(not_locked(now))
}

/// Reserves a try for `key` (see the module documentation).
pub async fn reserve<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<Try, DbErr> {
    // A purge may delete a quiet row between the insert and the update:
    // then the row is missing, not locked, and one more round is right.
    for _ in 0..2 {
        ensure_row(conn, key, now).await?;
        if reserve_row(conn, key, limit, now).await? {
            return Ok(Try::Granted);
        }
        if let Some(until) = locked_until_of(conn, key).await? {
            return Ok(Try::Locked { until });
        }
    }
    Ok(Try::Locked {
        until: now + limit.lock,
    })
}

/// The conditional update of [`reserve`]: whether it counted the try.
async fn reserve_row<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let max = i32::try_from(limit.max.max(1)).unwrap_or(i32::MAX);
    let lock_at = Expr::val(Some(now + limit.lock));
    let no_lock = Expr::val(Option::<DateTime<Utc>>::None);
    let attempts: SimpleExpr = CaseStatement::new()
        .case(fresh(limit, now), Expr::val(1))
        .finally(Expr::col(login_throttle::Column::Attempts).add(1))
        .into();
    let window_start: SimpleExpr = CaseStatement::new()
        .case(fresh(limit, now), Expr::val(now))
        .finally(Expr::col(login_throttle::Column::UpdatedAt))
        .into();
    // The new count reaches `max`: lock now, before the try even runs.
    let first_is_last = if max <= 1 {
        lock_at.clone()
    } else {
        no_lock.clone()
    };
    let locked_until: SimpleExpr = CaseStatement::new()
        .case(fresh(limit, now), first_is_last)
        .case(
            Expr::expr(Expr::col(login_throttle::Column::Attempts).add(1)).gte(max),
            lock_at,
        )
        .finally(no_lock)
        .into();
    let result = login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::Attempts, attempts)
        .col_expr(login_throttle::Column::LockedUntil, locked_until)
        .col_expr(login_throttle::Column::UpdatedAt, window_start)
        .filter(login_throttle::Column::Key.eq(key))
        .filter(not_locked(now))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a failure for `key` (counted like a reservation); the verdict is
/// read with [`locked_until`].
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
    Ok(locked_until_of(conn, key)
        .await?
        .filter(|until| *until > now))
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
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
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
