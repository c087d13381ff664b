//! Server-side helpers for server functions: the request's session, client
//! address and language, and setting cookies on the response.

use crate::backend::AppState;
use crate::backend::entities::session;
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::secrets::hash_secret;
use crate::domain::factors::is_recent;
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;
use crate::backend::sessions::{self, Lifetimes};
use crate::domain::preferences::{LANGUAGE_COOKIE, Language};
use crate::error::AppError;
use axum::extract::ConnectInfo;
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// What a session remembers between requests.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionData {
    /// Password checked, waiting for the second factor (rules L2, L3).
    pub pending_user: Option<i32>,
    /// When the user last proved who they are (login, or password
    /// confirmation): factor changes need it recent.
    #[serde(default)]
    pub authenticated_at: Option<DateTime<Utc>>,
    /// The authenticator-app secret being enrolled (rule F2): kept here, on
    /// the server, between showing the QR code and the first code.
    #[serde(default)]
    pub app_enrolment: Option<String>,
}

// The enrolment secret stays out of logs.
impl std::fmt::Debug for SessionData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionData")
            .field("pending_user", &self.pending_user)
            .field("authenticated_at", &self.authenticated_at)
            .field("app_enrolment", &self.app_enrolment.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// A logged-in request: the session token, the user, the session's data.
pub struct LoggedIn {
    pub token: String,
    pub user: user::Model,
    pub data: SessionData,
}

impl LoggedIn {
    /// The session's id as stored (the token's hash).
    pub fn session_id(&self) -> String {
        hash_secret(&self.token)
    }
}

/// The logged-in user of this request, or [`AppError::NotLoggedIn`].
pub async fn logged_in(state: &AppState) -> Result<LoggedIn, AppError> {
    let (token, row, data) = current_session(state).await?.ok_or(AppError::NotLoggedIn)?;
    let user_id = row.user_id.ok_or(AppError::NotLoggedIn)?;
    let user = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await
        .map_err(internal)?
        .filter(|u| u.status == UserStatus::Active)
        .ok_or(AppError::NotLoggedIn)?;
    Ok(LoggedIn { token, user, data })
}

/// Like [`logged_in`], and the user authenticated recently (rule F: adding
/// or removing a factor, changing the password).
pub async fn recently_authenticated(state: &AppState) -> Result<LoggedIn, AppError> {
    let found = logged_in(state).await?;
    if is_recent(found.data.authenticated_at, state.clock.now()) {
        Ok(found)
    } else {
        Err(AppError::RecentLoginRequired)
    }
}

/// Stores new data in the request's session.
pub async fn save_session_data(state: &AppState, token: &str, data: &SessionData) -> Result<(), AppError> {
    let value = serde_json::to_value(data).map_err(internal)?;
    sessions::save_data(&state.db, token, value).await.map_err(internal)
}

/// Replaces the request's session by a new one (new id: rule L6): logged in
/// as `user_id` (authenticated now), or waiting for `pending_user`'s second
/// factor.
pub async fn start_session(
    state: &AppState,
    user_id: Option<i32>,
    pending_user: Option<i32>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let data = SessionData { pending_user, authenticated_at: user_id.map(|_| now), app_enrolment: None };
    let data = serde_json::to_value(data).map_err(internal)?;
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let old = session_token(&state.settings);
    let token = sessions::rotate(&state.db, old.as_deref(), user_id, data, lifetimes, now)
        .await
        .map_err(internal)?;
    set_cookie(&sessions::cookie(&token, &state.settings))
}

/// The user whose password was checked in this session, waiting for the
/// second factor, with the session's id (hash).
pub async fn pending_login(state: &AppState) -> Result<(i32, String), AppError> {
    current_session(state)
        .await?
        .and_then(|(token, _, data)| data.pending_user.map(|user| (user, hash_secret(&token))))
        .ok_or(AppError::NotLoggedIn)
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

fn cookie_header() -> String {
    parts()
        .and_then(|p| p.headers.get(COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default()
}

/// The session token the browser sent.
pub fn session_token(settings: &crate::backend::settings::Settings) -> Option<String> {
    sessions::token_from_cookie_header(&cookie_header(), settings)
}

/// The client's address, as the socket saw it.
pub fn client_ip() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The language the visitor chose (French unless they chose English).
pub fn language() -> Language {
    cookie::Cookie::split_parse(cookie_header())
        .filter_map(Result::ok)
        .find(|c| c.name() == LANGUAGE_COOKIE)
        .and_then(|c| Language::parse(c.value()))
        .unwrap_or_default()
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let response = use_context::<ResponseOptions>().ok_or(AppError::Internal)?;
    let value = HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    response.append_header(SET_COOKIE, value);
    Ok(())
}

/// The live session of this request, with its data.
pub async fn current_session(
    state: &AppState,
) -> Result<Option<(String, session::Model, SessionData)>, AppError> {
    let Some(token) = session_token(&state.settings) else {
        return Ok(None);
    };
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let found = sessions::load(&state.db, &token, lifetimes, state.clock.now())
        .await
        .map_err(internal)?;
    Ok(found.map(|row| {
        let data = serde_json::from_str(&row.data).unwrap_or_default();
        (token, row, data)
    }))
}

/// Logs an infrastructure failure and hides it from the client.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "server function failed");
    AppError::Internal
}
