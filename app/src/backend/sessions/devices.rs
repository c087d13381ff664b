//! *Mes sessions* (ASVS 7.5.2): a user's live sessions, what each was opened
//! from, and ending one or all of them.
//!
//! A session is shown and ended by its stored id: the hash of its token,
//! which opens nothing (the cookie carries the token itself), and which only
//! its owner is ever shown. What a session was opened from (the client's
//! address and browser) is written once, when it starts ([`OpenedFrom`]): a
//! hint for the user, never a check.

use super::{Lifetimes, SessionState, destroy_all_of_user};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::session;
use crate::backend::{AppState, Outcome, refuse};
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The longest `User-Agent` kept, in characters.
const USER_AGENT_CHARS: usize = 256;
/// At most this many sessions are listed (the newest first).
const LISTED: u64 = 100;

/// A live session, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: String,
    pub opened_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub client_address: Option<String>,
    pub user_agent: Option<String>,
    /// The password was given, the second factor not yet.
    pub awaiting_second_factor: bool,
}

/// Where a session is opened from, written with it by
/// [`super::rotate`]: hints for its owner, never checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenedFrom {
    pub(super) client_address: Option<String>,
    pub(super) user_agent: Option<String>,
}

impl OpenedFrom {
    /// As the request says. The `User-Agent` is the browser's say: cut to
    /// [`USER_AGENT_CHARS`], control characters dropped.
    pub fn new(client_address: &str, user_agent: &str) -> OpenedFrom {
        let user_agent: String = user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(USER_AGENT_CHARS)
            .collect();
        OpenedFrom {
            client_address: Some(client_address.chars().take(64).collect()),
            user_agent: (!user_agent.is_empty()).then_some(user_agent),
        }
    }
}

/// The user's sessions that are still live, the most recently used first.
pub async fn live_sessions_of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<Vec<SessionSummary>, DbErr> {
    let rows = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::LastSeenAt.gt(now - lifetimes.idle))
        .order_by_desc(session::Column::LastSeenAt)
        .order_by_asc(session::Column::Id)
        .limit(LISTED)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionSummary {
            awaiting_second_factor: matches!(
                serde_json::from_str::<SessionState>(&row.data),
                Ok(SessionState::AwaitingSecondFactor { .. })
            ),
            id: row.id,
            opened_at: row.created_at,
            last_seen_at: row.last_seen_at,
            client_address: row.client_address,
            user_agent: row.user_agent,
        })
        .collect())
}

/// Ends the session `id` of `user_id`, never `current` (that one ends with
/// *Se déconnecter*): an id that is not one of the user's other sessions is
/// [`Refusal::NotFound`]. Audited.
pub async fn end_one_of_user(
    state: &AppState,
    user_id: i32,
    id: &str,
    current: &str,
    client_ip: &str,
) -> Outcome<()> {
    if id == current {
        return refuse(Refusal::NotFound);
    }
    let ended = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.eq(id))
        .exec(&state.db)
        .await?
        .rows_affected;
    if ended == 0 {
        return refuse(Refusal::NotFound);
    }
    record(state, user_id, "session_ended", ended, client_ip).await
}

/// Ends every session of `user_id` but `current` (its token); audited.
/// Returns how many ended.
pub async fn end_others_of_user(
    state: &AppState,
    user_id: i32,
    current_token: &str,
    client_ip: &str,
) -> Outcome<u64> {
    let ended = destroy_all_of_user(&state.db, user_id, Some(current_token)).await?;
    record(state, user_id, "other_sessions_ended", ended, client_ip).await?;
    Ok(ended)
}

async fn record(
    state: &AppState,
    user_id: i32,
    event: &str,
    ended: u64,
    client_ip: &str,
) -> Outcome<()> {
    let entry = AuditEntry {
        actor_user_id: Some(user_id),
        event,
        subject: Subject::User(user_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "sessions": ended }),
    };
    Ok(audit::record(&state.db, entry, state.clock.now()).await?)
}

/// Whose sessions an operator ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose<'a> {
    /// The account of this login address.
    User(&'a str),
    Everyone,
}

/// The operators' command `server end-sessions` (ASVS 7.4.5): ends every
/// session of one account, or of all, in either state; audited without an
/// actor (the operator is not a user). An unknown address is
/// [`Refusal::NotFound`]. Returns how many ended.
pub async fn end_by_operator(state: &AppState, whose: Whose<'_>) -> Outcome<u64> {
    let (ended, subject) = match whose {
        Whose::User(login_email) => {
            let Some(user) =
                crate::backend::accounts::find_by_login(&state.db, login_email).await?
            else {
                return refuse(Refusal::NotFound);
            };
            let ended = destroy_all_of_user(&state.db, user.id, None).await?;
            (ended, Subject::User(user.id))
        }
        Whose::Everyone => {
            let ended = session::Entity::delete_many()
                .exec(&state.db)
                .await?
                .rows_affected;
            (ended, Subject::Nothing)
        }
    };
    let entry = AuditEntry {
        actor_user_id: None,
        event: "sessions_ended_by_operator",
        subject,
        client_ip: None,
        details: serde_json::json!({ "sessions": ended }),
    };
    audit::record(&state.db, entry, state.clock.now()).await?;
    Ok(ended)
}
