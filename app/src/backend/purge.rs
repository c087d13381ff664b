//! Housekeeping: deletes the rows whose use is over, so the database does
//! not keep for ever what nobody reads again (and what it tells: who
//! logged in, from where, when).
//!
//! What goes, `now` being the server clock read once per pass:
//! - **sessions** past their idle or absolute time-out
//!   (`sessions::purge_expired`). The secret of an abandoned
//!   authenticator-app enrolment lives in its session's data until the first
//!   right code, so it goes with its session;
//! - **captcha challenges** (one row per anonymous call) a minute after they
//!   expire, used or not: the minute keeps a row that a redemption is
//!   reading between its two statements;
//! - **throttle counters** unlocked and whose count began longer ago than
//!   the longest counting window (an hour, or the lock period if longer):
//!   such a count would start again anyway (`throttle::reserve` re-creates
//!   a row deleted between its insert and its update).
//! - **WebAuthn ceremonies** past their expiry (a finished one is deleted
//!   when it is used);
//! - **login codes and links** (`user_tokens`) used, retired or expired for
//!   longer than `purge.spent_grace_days`: until then an old link is still
//!   told "expired" or "already used" rather than "unknown";
//! - **login-address changes** (rule P6) used or expired for longer than
//!   `purge.spent_grace_days`, for the same reason;
//! - **weekly summary claims** (rule P2) a fortnight after they were
//!   made: only the last week that ended is ever looked at again;
//! - **API access tokens** past their expiry (issue 17: an hour each; a
//!   client that calls often buys many);
//! - **sent and rejected e-mails**, already scrubbed, after
//!   `mail.delivered_retention_days` (`outbox::purge_finished`).
//!
//! Several server instances share one database (rule R2) and each purges:
//! every purge is an idempotent `DELETE … WHERE <expired>`, never a read then
//! a delete, so two passes at once delete each row once and fail on nothing.
//! A backlog (the first pass over an old database) goes in batches of
//! [`BATCH`] rows, short statements holding few locks; each repeats its
//! condition outside the batch's subquery, so on PostgreSQL a row that a
//! concurrent transaction has just renewed is checked again and kept. The
//! waits between passes are jittered so that instances started together
//! spread out.

use crate::backend::clock::Clock;
use crate::backend::entities::{
    address_change, api_token, captcha_challenge, login_code, login_throttle, user_token,
    webauthn_ceremony, weekly_summary,
};
use crate::backend::sessions::{self, Lifetimes};
use crate::backend::settings::Settings;
use crate::backend::{AppState, outbox};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait,
};
use std::sync::Arc;

/// Rows deleted per statement.
pub const BATCH: u64 = 1000;

/// How long a captcha challenge is kept past its expiry (see above).
const CAPTCHA_IN_FLIGHT: Duration = Duration::minutes(1);

/// How long a weekly summary's claim is kept: its week is no longer the
/// last that ended a week after the claim at most.
const SUMMARY_CLAIM_KEPT: Duration = Duration::days(14);

/// How long each kind of row outlives its use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub sessions: Lifetimes,
    /// The lock-out period of the throttle (`security.lockout_minutes`).
    pub lock: Duration,
    /// `purge.spent_grace_days`.
    pub spent_grace: Duration,
    /// `mail.delivered_retention_days`.
    pub delivered_retention: Duration,
}

impl Policy {
    pub fn from_settings(settings: &Settings) -> Policy {
        Policy {
            sessions: Lifetimes::from_settings(settings),
            // The longest window of the brute-force counters (the guard's
            // account-wide hour), so a purge never shortens a count.
            lock: Duration::minutes(i64::from(settings.security.lockout_minutes.max(60))),
            spent_grace: Duration::days(i64::from(settings.purge.spent_grace_days)),
            delivered_retention: Duration::days(i64::from(settings.mail.delivered_retention_days)),
        }
    }
}

/// Rows deleted by one pass, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub sessions: u64,
    pub captcha_challenges: u64,
    pub throttle_counters: u64,
    pub webauthn_ceremonies: u64,
    pub login_codes: u64,
    pub user_tokens: u64,
    pub address_changes: u64,
    pub summary_claims: u64,
    pub api_tokens: u64,
    pub outbox_messages: u64,
}

impl PurgeReport {
    pub fn total(&self) -> u64 {
        self.sessions
            + self.captcha_challenges
            + self.throttle_counters
            + self.webauthn_ceremonies
            + self.login_codes
            + self.user_tokens
            + self.address_changes
            + self.summary_claims
            + self.api_tokens
            + self.outbox_messages
    }
}

/// Deletes every row expired at `now` under `policy` (see the module
/// documentation).
pub async fn purge_expired<C: ConnectionTrait>(
    conn: &C,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<PurgeReport, DbErr> {
    let spent = now - policy.spent_grace;
    Ok(PurgeReport {
        sessions: sessions::purge_expired(conn, policy.sessions, now).await?,
        captcha_challenges: delete_in_batches::<captcha_challenge::Entity, _>(
            conn,
            captcha_challenge::Column::Id,
            captcha_challenge::Column::ExpiresAt
                .lte(now - CAPTCHA_IN_FLIGHT)
                .into_condition(),
        )
        .await?,
        throttle_counters: delete_in_batches::<login_throttle::Entity, _>(
            conn,
            login_throttle::Column::Key,
            Condition::all()
                .add(login_throttle::Column::UpdatedAt.lte(now - policy.lock))
                .add(
                    Condition::any()
                        .add(login_throttle::Column::LockedUntil.is_null())
                        .add(login_throttle::Column::LockedUntil.lte(now)),
                ),
        )
        .await?,
        webauthn_ceremonies: delete_in_batches::<webauthn_ceremony::Entity, _>(
            conn,
            webauthn_ceremony::Column::Id,
            webauthn_ceremony::Column::ExpiresAt
                .lte(now)
                .into_condition(),
        )
        .await?,
        login_codes: delete_in_batches::<login_code::Entity, _>(
            conn,
            login_code::Column::Id,
            Condition::any()
                .add(login_code::Column::ExpiresAt.lte(spent))
                .add(login_code::Column::UsedAt.lte(spent)),
        )
        .await?,
        user_tokens: delete_in_batches::<user_token::Entity, _>(
            conn,
            user_token::Column::Id,
            Condition::any()
                .add(user_token::Column::ExpiresAt.lte(spent))
                .add(user_token::Column::UsedAt.lte(spent)),
        )
        .await?,
        address_changes: delete_in_batches::<address_change::Entity, _>(
            conn,
            address_change::Column::UserId,
            Condition::any()
                .add(address_change::Column::ExpiresAt.lte(spent))
                .add(address_change::Column::ConfirmedAt.lte(spent)),
        )
        .await?,
        summary_claims: delete_in_batches::<weekly_summary::Entity, _>(
            conn,
            weekly_summary::Column::UserId,
            weekly_summary::Column::HandledAt
                .lte(now - SUMMARY_CLAIM_KEPT)
                .into_condition(),
        )
        .await?,
        api_tokens: delete_in_batches::<api_token::Entity, _>(
            conn,
            api_token::Column::TokenHash,
            api_token::Column::ExpiresAt.lte(now).into_condition(),
        )
        .await?,
        outbox_messages: outbox::purge_finished(conn, now - policy.delivered_retention).await?,
    })
}

/// `DELETE FROM t WHERE <expired> AND key IN (SELECT key FROM t WHERE
/// <expired> LIMIT BATCH)` until a batch comes back short. Plain SQL that
/// SQLite and PostgreSQL both run.
pub(crate) async fn delete_in_batches<E, C>(
    conn: &C,
    key: E::Column,
    expired: Condition,
) -> Result<u64, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut total = 0;
    loop {
        let batch = E::find()
            .select_only()
            .column(key)
            .filter(expired.clone())
            .limit(BATCH)
            .into_query();
        let deleted = E::delete_many()
            .filter(expired.clone())
            .filter(key.in_subquery(batch))
            .exec(conn)
            .await?
            .rows_affected;
        total += deleted;
        if deleted < BATCH {
            return Ok(total);
        }
    }
}

/// The server's purge task: a pass, then a jittered wait, for ever.
pub struct Purger {
    db: DatabaseConnection,
    clock: Arc<Clock>,
    policy: Policy,
    interval: std::time::Duration,
}

impl Purger {
    pub fn new(state: &AppState) -> Purger {
        let minutes = u64::from(state.settings.purge.interval_minutes.max(1));
        Purger {
            db: state.db.clone(),
            clock: state.clock.clone(),
            policy: Policy::from_settings(&state.settings),
            interval: std::time::Duration::from_secs(minutes * 60),
        }
    }

    /// One pass at the clock's current time.
    pub async fn pass(&self) -> Result<PurgeReport, DbErr> {
        purge_expired(&self.db, &self.policy, self.clock.now()).await
    }

    /// Purges at start, then every interval, give or take a fifth. Errors
    /// are logged and the next pass tries again.
    pub async fn run(self) {
        loop {
            match self.pass().await {
                Ok(report) if report.total() > 0 => tracing::info!(?report, "purged expired rows"),
                Ok(_) => tracing::debug!("purge: nothing expired"),
                Err(error) => tracing::error!(%error, "purge failed; the next pass tries again"),
            }
            let factor = rand::rng().random_range(0.8..=1.2);
            tokio::time::sleep(self.interval.mul_f64(factor)).await;
        }
    }
}
