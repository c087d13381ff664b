//! The warnings before a technical password expires (issue 17): 30 days,
//! then 7 days before (`domain::technical::warning_due`), e-mailed to the
//! structure's primary manager, each once per password.
//!
//! Several server instances look (rule R2): a warning is claimed by a
//! conditional update of `last_warning_days` on the password it is about,
//! in the transaction that queues its e-mail, so exactly one instance sends
//! it, and a password reset meanwhile (a new hash) is not warned about.

use crate::backend::clock::Clock;
use crate::backend::entities::technical_user::{self, StoredStatus};
use crate::backend::mails::{self, Context};
use crate::backend::outbox;
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::backend::structures::members::primary_manager;
use crate::domain::preferences::Language;
use crate::domain::technical::{WARNING_DAYS, warning_due};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, TransactionTrait,
};
use std::sync::Arc;

/// Sends the warnings due at `now`; answers how many were queued.
pub async fn send_due(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<u32, DbErr> {
    use technical_user::Column;
    let farthest = WARNING_DAYS.into_iter().max().unwrap_or(0);
    let candidates = technical_user::Entity::find()
        .filter(Column::Status.eq(StoredStatus::Active))
        .filter(Column::PasswordExpiresAt.gt(now))
        .filter(Column::PasswordExpiresAt.lte(now + Duration::days(farthest)))
        .all(db)
        .await?;
    let mut sent = 0;
    for row in candidates {
        let last = row.last_warning_days.map(i64::from);
        let Some(days) = warning_due(row.password_expires_at, now, last) else {
            continue;
        };
        let txn = db.begin().await?;
        let claimed = technical_user::Entity::update_many()
            .col_expr(Column::LastWarningDays, Expr::value(days as i32))
            .filter(Column::StructureId.eq(row.structure_id))
            .filter(Column::PasswordHash.eq(row.password_hash.as_str()))
            .filter(
                Condition::any()
                    .add(Column::LastWarningDays.is_null())
                    .add(Column::LastWarningDays.gt(days as i32)),
            )
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            // Another instance, or a reset, came first.
            continue;
        }
        if let Some(manager) = primary_manager(&txn, row.structure_id).await? {
            let cx = Context::for_user(settings, &manager);
            let date = match Language::parse(&manager.language).unwrap_or_default() {
                Language::Fr => row.password_expires_at.format("%d/%m/%Y"),
                Language::En => row.password_expires_at.format("%Y-%m-%d"),
            }
            .to_string();
            let name = format!("{} {}", manager.first_name, manager.last_name);
            let link = settings.site.link(&format!(
                "/raccordements/compte-technique?structure={}",
                row.structure_id
            ));
            let mail = mails::technical_password_expiry(&cx, &name, &row.login, days, &date, &link);
            outbox::enqueue(&txn, mail, now).await?;
            sent += 1;
        }
        txn.commit().await?;
    }
    Ok(sent)
}

/// Looks for due warnings every `technical.warning_interval_seconds`.
pub struct Warner {
    db: DatabaseConnection,
    clock: Arc<Clock>,
    settings: Arc<Settings>,
    interval: std::time::Duration,
}

impl Warner {
    pub fn new(state: &AppState) -> Warner {
        let seconds = state.settings.technical.warning_interval_seconds.max(1);
        Warner {
            db: state.db.clone(),
            clock: state.clock.clone(),
            settings: state.settings.clone(),
            interval: std::time::Duration::from_secs(u64::from(seconds)),
        }
    }

    /// One look at the clock's current time.
    pub async fn pass(&self) -> Result<u32, DbErr> {
        send_due(&self.db, &self.settings, self.clock.now()).await
    }

    /// Looks at start, then every interval, give or take a fifth. Errors are
    /// logged and the next look tries again.
    pub async fn run(self) {
        loop {
            match self.pass().await {
                Ok(0) => tracing::debug!("technical password warnings: none due"),
                Ok(sent) => tracing::info!(sent, "technical password warnings queued"),
                Err(error) => {
                    tracing::error!(%error, "technical password warnings failed; next look retries")
                }
            }
            let factor = rand::rng().random_range(0.8..=1.2);
            tokio::time::sleep(self.interval.mul_f64(factor)).await;
        }
    }
}
