//! The e-mail outbox (rule R1).
//!
//! [`enqueue`] takes any connection, so a caller passes its open transaction
//! and the message is committed, or rolled back, with the change it reports.
//! Delivery is the server's worker: it [`claim_due`]s messages, sends them,
//! then marks each [`mark_sent`] or [`mark_failed`]. A claim is a conditional
//! `UPDATE` on one row, so two workers (two server instances sharing one
//! database) never hold the same message at once.
//!
//! **No secret outlives delivery.** Bodies carry activation and reset links
//! and login codes, which rule R3 wants stored only as hashes. So the
//! `UPDATE` that records a message as sent, or as given up, also replaces
//! both bodies with [`REDACTED`]: no window where a sent row still holds its
//! secret, and nothing to do for a second statement that could fail. We
//! scrub rather than encrypt: nothing ever reads a delivered body again, and
//! a key kept beside the database would protect little. The row keeps what
//! the audit trail needs (recipient, subject, status, attempts, timestamps);
//! the subject says which message it was and never holds a secret (the
//! `*_subject` translations take only the product's and a structure's
//! name). [`purge_finished`] deletes the row after
//! `mail.delivered_retention_days`. A pending message keeps its bodies until
//! it leaves, since the worker needs them; its link or code expires within
//! the hour anyway.

use crate::backend::entities::mail_outbox::{self, OutboxStatus};
use crate::backend::purge;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// What the bodies of a sent or rejected message are replaced with.
pub const REDACTED: &str = "[redacted]";

/// A message to send, in both text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// Queues `mail`, due at once. Returns the outbox id.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    mail: NewMail,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let row = mail_outbox::ActiveModel {
        recipient: Set(mail.recipient),
        subject: Set(mail.subject),
        text_body: Set(mail.text_body),
        html_body: Set(mail.html_body),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        created_at: Set(now),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Claims up to `limit` due messages for `lease`; another worker skips them
/// until the lease ends (so a worker that dies does not lose them).
///
/// **In order per recipient**: a message is due only when no older message
/// to the same address is still pending. So a batch holds at most one
/// message per recipient, and a message that failed and waits for its retry
/// holds back the later ones to its recipient (a login code sent before the
/// activation link it depends on would confuse), whichever instance claims.
pub async fn claim_due<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<mail_outbox::Model>, DbErr> {
    let earlier = Alias::new("earlier");
    let an_earlier_one_waits = Query::select()
        .expr(Expr::val(1))
        .from_as(mail_outbox::Entity, earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), mail_outbox::Column::Recipient))
                .equals((mail_outbox::Entity, mail_outbox::Column::Recipient)),
        )
        .and_where(
            Expr::col((earlier.clone(), mail_outbox::Column::Status))
                .eq(OutboxStatus::Pending.to_value()),
        )
        .and_where(
            Expr::col((earlier, mail_outbox::Column::Id))
                .lt(Expr::col((mail_outbox::Entity, mail_outbox::Column::Id))),
        )
        .to_owned();
    let candidates = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .filter(unclaimed(now))
        .filter(Expr::exists(an_earlier_one_waits).not())
        .order_by_asc(mail_outbox::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for mut message in candidates {
        let until = now + lease;
        let result = mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::ClaimedUntil, Expr::value(until))
            .filter(mail_outbox::Column::Id.eq(message.id))
            .filter(mail_outbox::Column::Status.eq(OutboxStatus::Pending))
            .filter(unclaimed(now))
            .exec(conn)
            .await?;
        if result.rows_affected == 1 {
            message.claimed_until = Some(until);
            claimed.push(message);
        }
    }
    Ok(claimed)
}

/// Gives back claimed messages that will not be attempted (the instance is
/// stopping), so that another instance takes them at once rather than when
/// the lease ends.
pub async fn release<C: ConnectionTrait>(conn: &C, ids: &[i32]) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let result = mail_outbox::Entity::update_many()
        .col_expr(
            mail_outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(mail_outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(mail_outbox::Column::Status.eq(OutboxStatus::Pending))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

fn unclaimed(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(mail_outbox::Column::ClaimedUntil.is_null())
        .add(mail_outbox::Column::ClaimedUntil.lt(now))
}

/// Records a delivery and scrubs the bodies, in one `UPDATE` conditional on
/// the message being still pending. Returns `false` when it was not (another
/// worker, whose lease had run out, recorded it first).
pub async fn mark_sent<C: ConnectionTrait>(
    conn: &C,
    id: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(OutboxStatus::Sent))
        .col_expr(mail_outbox::Column::SentAt, Expr::value(now))
        .col_expr(
            mail_outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            mail_outbox::Column::Attempts,
            Expr::col(mail_outbox::Column::Attempts).add(1),
        )
        .col_expr(mail_outbox::Column::TextBody, Expr::value(REDACTED))
        .col_expr(mail_outbox::Column::HtmlBody, Expr::value(REDACTED))
        .filter(mail_outbox::Column::Id.eq(id))
        .filter(mail_outbox::Column::Status.eq(OutboxStatus::Pending))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Deletes the messages sent, or given up, at or before `cutoff` (the end
/// of their retention); pending messages are never touched. One bounded
/// `DELETE … WHERE` at a time, so instances purging at once do not collide.
pub async fn purge_finished<C: ConnectionTrait>(
    conn: &C,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let finished = sea_orm::Condition::any()
        .add(
            sea_orm::Condition::all()
                .add(mail_outbox::Column::Status.eq(OutboxStatus::Sent))
                .add(mail_outbox::Column::SentAt.lte(cutoff)),
        )
        .add(
            sea_orm::Condition::all()
                .add(mail_outbox::Column::Status.eq(OutboxStatus::Rejected))
                .add(mail_outbox::Column::NextAttemptAt.lte(cutoff)),
        );
    purge::delete_in_batches::<mail_outbox::Entity, _>(conn, mail_outbox::Column::Id, finished)
        .await
}

/// The messages still to send, for the operator (`/readyz`, `/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    /// Pending messages (due or waiting for a retry).
    pub waiting: u64,
    /// When the oldest of them was queued.
    pub oldest: Option<DateTime<Utc>>,
}

impl Backlog {
    /// The oldest message's age at `now`, in whole seconds (0 when none).
    pub fn oldest_age_seconds(&self, now: DateTime<Utc>) -> i64 {
        self.oldest
            .map_or(0, |queued| (now - queued).num_seconds().max(0))
    }
}

/// Reads the outbox's [`Backlog`] (the table keeps only the retention period).
pub async fn backlog<C: ConnectionTrait>(conn: &C) -> Result<Backlog, DbErr> {
    let pending = || {
        mail_outbox::Entity::find().filter(mail_outbox::Column::Status.eq(OutboxStatus::Pending))
    };
    let waiting = pending().count(conn).await?;
    let oldest = pending()
        .select_only()
        .column(mail_outbox::Column::CreatedAt)
        .order_by_asc(mail_outbox::Column::CreatedAt)
        .into_tuple::<DateTime<Utc>>()
        .one(conn)
        .await?;
    Ok(Backlog { waiting, oldest })
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Try again later (the mail server is down, the network broke).
    Transient {
        retry_base: Duration,
        retry_max: Duration,
    },
    /// Never deliverable as it stands (a malformed address).
    Permanent,
}

/// The wait before attempt number `attempts + 1`: `base`, doubled after each
/// failure, at most `max`.
pub fn backoff(attempts: i32, base: Duration, max: Duration) -> Duration {
    let doublings = attempts.clamp(0, 20) as u32;
    let wait = base.num_seconds().saturating_mul(1_i64 << doublings);
    Duration::seconds(wait.min(max.num_seconds()))
}

/// Records a failed attempt and schedules the next one, or gives up: a
/// rejected message is scrubbed like a sent one, and its `next_attempt_at`
/// becomes the time it was given up (from which its retention counts).
pub async fn mark_failed<C: ConnectionTrait>(
    conn: &C,
    message: &mail_outbox::Model,
    now: DateTime<Utc>,
    error: &str,
    failure: Failure,
) -> Result<(), DbErr> {
    let attempts = message.attempts.saturating_add(1);
    let (status, next) = match failure {
        Failure::Transient {
            retry_base,
            retry_max,
        } => (
            OutboxStatus::Pending,
            now + backoff(message.attempts, retry_base, retry_max),
        ),
        Failure::Permanent => (OutboxStatus::Rejected, now),
    };
    let error: String = error.chars().take(1000).collect();
    let mut update = mail_outbox::Entity::update_many();
    if status == OutboxStatus::Rejected {
        update = update
            .col_expr(mail_outbox::Column::TextBody, Expr::value(REDACTED))
            .col_expr(mail_outbox::Column::HtmlBody, Expr::value(REDACTED));
    }
    update
        .col_expr(mail_outbox::Column::Status, Expr::value(status))
        .col_expr(mail_outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(next))
        .col_expr(
            mail_outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(mail_outbox::Column::LastError, Expr::value(error))
        .filter(mail_outbox::Column::Id.eq(message.id))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_the_maximum() {
        let base = Duration::seconds(30);
        let max = Duration::seconds(3600);
        assert_eq!(backoff(0, base, max), Duration::seconds(30));
        assert_eq!(backoff(1, base, max), Duration::seconds(60));
        assert_eq!(backoff(3, base, max), Duration::seconds(240));
        assert_eq!(backoff(10, base, max), max);
        assert_eq!(backoff(i32::MAX, base, max), max);
    }
}
