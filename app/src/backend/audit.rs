//! Writing the audit log (rule R4). Like the outbox, [`record`] takes any
//! connection so the entry commits with the change it describes.

use crate::backend::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    pub actor_user_id: Option<i32>,
    pub event: &'a str,
    pub subject: Option<String>,
    pub client_ip: Option<String>,
    pub details: serde_json::Value,
}

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    entry: AuditEntry<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        occurred_at: Set(now),
        actor_user_id: Set(entry.actor_user_id),
        event: Set(entry.event.to_owned()),
        subject: Set(entry.subject),
        client_ip: Set(entry.client_ip),
        details: Set(entry.details.to_string()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
