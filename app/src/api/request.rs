//! Server-side helpers for server functions: the request's session, client
//! address and language, and setting cookies on the response.

use crate::backend::AppState;
use crate::backend::entities::session;
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionData {
    /// Password checked, waiting for the e-mailed code (rule L2).
    pub pending_user: Option<i32>,
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
pub fn session_token() -> Option<String> {
    sessions::token_from_cookie_header(&cookie_header())
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
    let Some(token) = session_token() else {
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
