//! The weekly summary (rule P2): each Monday, every manager who asked for
//! it receives, in their language, the past week's movements of the
//! structures they manage (attachments, detachments, authorisation
//! changes, services, technical accounts), counted from the audit log.
//! Nothing moved: no e-mail.
//!
//! **Once per week per recipient, with any number of server instances.**
//! Each instance looks for due summaries every few minutes
//! ([`Summarizer::run`]). A recipient's week is *claimed* by inserting the
//! row (recipient, week) of `weekly_summaries`, whose primary key lets one
//! insert land; the e-mail is written to the outbox in the same
//! transaction. So two instances looking at once send one e-mail, an
//! instance that fails half-way leaves neither claim nor e-mail (the next
//! look tries again), and a week already dealt with is never looked at
//! again. This is stronger than a time-limited lease on the whole pass: a
//! lease that runs out during a slow pass lets a second pass send again.
//!
//! The clock is the server's ([`crate::backend::clock`]), so tests move a
//! week forward with `/__test/clock`.

use crate::backend::authorisations::managed_structures;
use crate::backend::clock::Clock;
use crate::backend::entities::user::UserStatus;
use crate::backend::entities::{audit_log, notification_topic, structure, user, weekly_summary};
use crate::backend::mails;
use crate::backend::outbox;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::domain::notifications::{Movement, Tally, Topic, Week};
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::sea_query::{Condition, OnConflict, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What one look did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryReport {
    /// E-mails written.
    pub sent: u32,
    /// Recipients whose structures did not move (claimed, no e-mail).
    pub quiet: u32,
    /// Recipients another instance had already claimed.
    pub taken: u32,
}

/// Looks for due summaries, every `notifications.summary_interval_seconds`.
pub struct Summarizer {
    db: DatabaseConnection,
    clock: Arc<Clock>,
    settings: Arc<Settings>,
    interval: std::time::Duration,
}

impl Summarizer {
    pub fn new(state: &AppState) -> Summarizer {
        let seconds = state.settings.notifications.summary_interval_seconds.max(1);
        Summarizer {
            db: state.db.clone(),
            clock: state.clock.clone(),
            settings: state.settings.clone(),
            interval: std::time::Duration::from_secs(u64::from(seconds)),
        }
    }

    /// One look at the clock's current time.
    pub async fn pass(&self) -> Result<SummaryReport, DbErr> {
        send_due(&self.db, &self.settings, self.clock.now()).await
    }

    /// Looks at start, then every interval, give or take a fifth. Errors are
    /// logged and the next look tries again.
    pub async fn run(self) {
        loop {
            match self.pass().await {
                Ok(report) if report.sent > 0 => {
                    tracing::info!(?report, "weekly summaries written");
                }
                Ok(_) => tracing::debug!("weekly summaries: none due"),
                Err(error) => tracing::error!(%error, "weekly summaries failed; next look retries"),
            }
            let factor = rand::rng().random_range(0.8..=1.2);
            tokio::time::sleep(self.interval.mul_f64(factor)).await;
        }
    }
}

/// Writes the summaries of the last week that ended before `now` that are
/// not yet dealt with.
pub async fn send_due(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<SummaryReport, DbErr> {
    let week = Week::last_ended(now);
    let mut report = SummaryReport::default();
    let recipients = due_recipients(db, week).await?;
    if recipients.is_empty() {
        return Ok(report);
    }
    let tallies = week_tallies(db, week).await?;
    for recipient in recipients {
        match summarise(db, settings, recipient, week, &tallies, now).await? {
            Handled::Sent => report.sent += 1,
            Handled::Quiet => report.quiet += 1,
            Handled::Taken => report.taken += 1,
        }
    }
    Ok(report)
}

/// The accounts that asked for the summary before `week` ended and whose
/// week is not dealt with yet.
async fn due_recipients(db: &DatabaseConnection, week: Week) -> Result<Vec<i32>, DbErr> {
    let done = Query::select()
        .column(weekly_summary::Column::UserId)
        .from(weekly_summary::Entity)
        .and_where(weekly_summary::Column::Week.eq(week.key()))
        .to_owned();
    notification_topic::Entity::find()
        .select_only()
        .column(notification_topic::Column::UserId)
        .filter(notification_topic::Column::Topic.eq(Topic::WeeklySummary.code()))
        .filter(notification_topic::Column::ChosenAt.lt(week.end()))
        .filter(notification_topic::Column::UserId.not_in_subquery(done))
        .into_tuple::<i32>()
        .all(db)
        .await
}

/// Every structure's movements during `week`, from the audit log.
async fn week_tallies(db: &DatabaseConnection, week: Week) -> Result<HashMap<i32, Tally>, DbErr> {
    let events = Condition::any()
        .add(audit_log::Column::Event.is_in(Movement::EVENTS.iter().map(|(event, _)| *event)))
        .add(audit_log::Column::Event.starts_with(Movement::TECHNICAL_ACCOUNT_PREFIX));
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::OccurredAt.gte(week.start()))
        .filter(audit_log::Column::OccurredAt.lt(week.end()))
        .filter(events)
        .all(db)
        .await?;
    let mut tallies: HashMap<i32, Tally> = HashMap::new();
    for row in rows {
        let (Some(movement), Some(structure_id)) =
            (Movement::of_event(&row.event), structure_of(&row))
        else {
            continue;
        };
        tallies.entry(structure_id).or_default().add(movement);
    }
    Ok(tallies)
}

/// The structure an audit entry is about: its column, or the `structure`
/// of its details (entries about a member written before the column).
fn structure_of(row: &audit_log::Model) -> Option<i32> {
    if row.structure_id.is_some() {
        return row.structure_id;
    }
    let details: serde_json::Value = serde_json::from_str(&row.details).ok()?;
    details
        .get("structure")?
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
}

enum Handled {
    Sent,
    Quiet,
    Taken,
}

/// Claims `user_id`'s week and, if something moved on a structure they
/// manage, writes the e-mail; both in one transaction.
async fn summarise(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i32,
    week: Week,
    tallies: &HashMap<i32, Tally>,
    now: DateTime<Utc>,
) -> Result<Handled, DbErr> {
    let txn = db.begin().await?;
    // The claim is the transaction's first statement, and the e-mail's
    // `sent` is set by an update once known. Not one insert made last: on
    // SQLite a transaction that reads first and writes later cannot wait
    // for another writer ("database is locked" at once), which two
    // instances looking at once meet.
    let claim = weekly_summary::ActiveModel {
        user_id: Set(user_id),
        week: Set(week.key()),
        handled_at: Set(now),
        sent: Set(false),
    };
    let claimed = weekly_summary::Entity::insert(claim)
        .on_conflict(
            OnConflict::columns([weekly_summary::Column::UserId, weekly_summary::Column::Week])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if claimed == 0 {
        return Ok(Handled::Taken);
    }
    let recipient = user::Entity::find_by_id(user_id).one(&txn).await?;
    let Some(recipient) = recipient.filter(|u| u.status == UserStatus::Active) else {
        txn.commit().await?;
        return Ok(Handled::Quiet);
    };
    let managed = managed_structures(&txn, user_id).await?;
    let moved: Vec<i32> = managed
        .into_iter()
        .filter(|id| tallies.get(id).is_some_and(|tally| !tally.is_empty()))
        .collect();
    if moved.is_empty() {
        txn.commit().await?;
        return Ok(Handled::Quiet);
    }
    // By name, then identifier: the order the e-mail lists them in.
    let mut lines: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for found in structure::Entity::find()
        .filter(structure::Column::Id.is_in(moved))
        .all(&txn)
        .await?
    {
        if let Some(tally) = tallies.get(&found.id) {
            lines.insert((found.name, found.identifier), *tally);
        }
    }
    let lines: Vec<mails::SummaryLine<'_>> = lines
        .iter()
        .map(|((name, identifier), tally)| mails::SummaryLine {
            name,
            identifier,
            tally: *tally,
        })
        .collect();
    let cx = mails::Context::for_user(settings, &recipient);
    let mail = mails::weekly_summary(&cx, &recipient.first_name, week, &lines);
    outbox::enqueue(&txn, mail, now).await?;
    weekly_summary::Entity::update_many()
        .col_expr(
            weekly_summary::Column::Sent,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(weekly_summary::Column::UserId.eq(user_id))
        .filter(weekly_summary::Column::Week.eq(week.key()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Handled::Sent)
}
