//! Server functions of *Mes sessions* (ASVS 7.4.3, 7.5.2), a part of *Mes
//! facteurs d'authentification*: the user's live sessions, and ending one or
//! all the others. Listing needs a login; ending needs a recent one (a
//! re-authentication, as for a factor change). Only the caller's own
//! sessions are ever read or ended: the backend filters by the session's
//! user, so an id of someone else's session is just unknown.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A session, as *Mes sessions* lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// What [`end_session`] takes (the stored hash of the session's token).
    pub id: String,
    /// The session of this very browser.
    pub current: bool,
    pub opened_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub client_address: Option<String>,
    /// "Browser · System" (`domain::devices`), when known.
    pub device: Option<String>,
    /// The password was given there, the second factor not yet.
    pub awaiting_second_factor: bool,
}

/// The user's live sessions, this one first, then the most recently used.
#[server(endpoint = "my-sessions")]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::sessions::{self, Lifetimes};
    use crate::domain::devices::device_label;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let found =
        sessions::live_sessions_of_user(&state.db, me.user.id, lifetimes, state.clock.now())
            .await?;
    let mut listed: Vec<SessionView> = found
        .into_iter()
        .map(|s| SessionView {
            current: s.id == me.session_id,
            device: s.user_agent.as_deref().and_then(device_label),
            id: s.id,
            opened_at: s.opened_at,
            last_seen_at: s.last_seen_at,
            client_address: s.client_address,
            awaiting_second_factor: s.awaiting_second_factor,
        })
        .collect();
    listed.sort_by_key(|s| !s.current);
    Ok(listed)
}

/// *Fermer cette session*: ends one of the user's other sessions.
#[server(endpoint = "end-session")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::{app_state, sessions};
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    Ok(sessions::end_one_of_user(&state, me.user.id, &id, &me.session_id, &client_ip()).await?)
}

/// *Fermer toutes mes autres sessions*; answers how many ended.
#[server(endpoint = "end-other-sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::{app_state, sessions};
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    Ok(sessions::end_others_of_user(&state, me.user.id, &me.token, &client_ip()).await?)
}
