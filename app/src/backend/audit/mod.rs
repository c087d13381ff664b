//! The audit log (rule R4): writing it here, reading it for Support in
//! [`reading`].
//!
//! Like the outbox, [`record`] takes any connection so the entry commits
//! with the change it describes.
//!
//! What an entry is about is a typed [`Subject`], written as text for
//! people (`structure:42`) and as columns for Support's filters (rule U2),
//! so that no reader parses the text back.

pub mod reading;

use crate::backend::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Nothing known (a refused attempt on an unknown address).
    Nothing,
    User(i32),
    Structure(i32),
    /// A user, within a structure (a member's profile or standing).
    Member {
        user: i32,
        structure: i32,
    },
    Ticket(i32),
    ProfileRequest(i32),
}

impl Subject {
    /// The user, when there is one.
    pub fn user(user_id: Option<i32>) -> Subject {
        user_id.map_or(Subject::Nothing, Subject::User)
    }

    /// The text of the `subject` column.
    pub fn text(&self) -> Option<String> {
        match self {
            Subject::Nothing => None,
            Subject::User(id) | Subject::Member { user: id, .. } => Some(format!("user:{id}")),
            Subject::Structure(id) => Some(format!("structure:{id}")),
            Subject::Ticket(id) => Some(format!("ticket:{id}")),
            Subject::ProfileRequest(id) => Some(format!("profile_request:{id}")),
        }
    }

    fn user_id(&self) -> Option<i32> {
        match self {
            Subject::User(id) | Subject::Member { user: id, .. } => Some(*id),
            _ => None,
        }
    }

    fn structure_id(&self) -> Option<i32> {
        match self {
            Subject::Structure(id) | Subject::Member { structure: id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    pub actor_user_id: Option<i32>,
    pub event: &'a str,
    pub subject: Subject,
    pub client_ip: Option<String>,
    pub details: serde_json::Value,
}

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    entry: AuditEntry<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let event = entry.event;
    audit_log::ActiveModel {
        occurred_at: Set(now),
        actor_user_id: Set(entry.actor_user_id),
        event: Set(entry.event.to_owned()),
        subject: Set(entry.subject.text()),
        subject_user_id: Set(entry.subject.user_id()),
        structure_id: Set(entry.subject.structure_id()),
        client_ip: Set(entry.client_ip),
        details: Set(entry.details.to_string()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    crate::backend::telemetry::event_recorded(event);
    Ok(())
}
