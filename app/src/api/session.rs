//! The session and caller layer of the server functions: who is calling
//! (through the one function [`current`], which reads the session cookie and
//! asks `backend::sessions::resume`, itself checking the account's status),
//! the client's address and language, and cookies on the response.

pub use super::errors::internal;
use crate::backend::AppState;
use crate::backend::sessions::{self, Lifetimes, LiveSession, OpenedFrom, SessionState, User};
use crate::backend::support::Agent;
use crate::domain::factors::{Factor, is_recent};
use crate::domain::preferences::{
    ACCESSIBILITY_COOKIE, LANGUAGE_COOKIE, Language, Preferences, parse_switch,
};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::ResponseOptions;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// A logged-in request.
pub struct LoggedIn {
    pub token: String,
    /// The session's id as stored (the token's hash).
    pub session_id: String,
    pub user: User,
    pub authenticated_at: DateTime<Utc>,
    pub totp_enrolment: Option<String>,
    /// The factor this session was opened with (`None`: not recorded).
    pub second_factor: Option<Factor>,
}

impl LoggedIn {
    /// The session's id as stored (the token's hash).
    pub fn session_id(&self) -> String {
        self.session_id.clone()
    }

    fn state(&self) -> SessionState {
        SessionState::LoggedIn {
            user_id: self.user.id,
            authenticated_at: self.authenticated_at,
            totp_enrolment: self.totp_enrolment.clone(),
            second_factor: self.second_factor,
        }
    }
}

/// A request whose password was checked, waiting for the second factor.
pub struct Pending {
    pub token: String,
    pub session_id: String,
    pub user: User,
    pub password_at: DateTime<Utc>,
    pub code_sends: u32,
}

/// The live session of this request, with its token.
///
/// A page asks several times (the header's `current_user`, then the page's
/// own data): for a request that only reads (`GET`, `HEAD`), the first
/// answer is kept in the request's [`RequestSession`] and the others reuse
/// it, one database lookup a page (issue 16: *Mes structures* at p99 10 ms).
/// A request that may change the session (a `POST` that logs in, rotates
/// or ends it) asks the database each time, as it always did.
pub async fn current(state: &AppState) -> Result<Option<(String, LiveSession)>, AppError> {
    let kept = use_context::<RequestSession>().filter(|_| reads_only());
    match kept {
        Some(kept) => kept.0.get_or_try_init(|| look_up(state)).await.cloned(),
        None => look_up(state).await,
    }
}

async fn look_up(state: &AppState) -> Result<Option<(String, LiveSession)>, AppError> {
    let Some(token) = session_token(&state.settings) else {
        return Ok(None);
    };
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let found = sessions::resume(&state.db, &token, lifetimes, state.clock.now()).await?;
    Ok(found.map(|live| (token, live)))
}

/// The session of one request, looked up once ([`current`]); part of every
/// request's Leptos context ([`provide_request_session`]).
#[derive(Clone, Default)]
pub struct RequestSession(Arc<OnceCell<Option<(String, LiveSession)>>>);

/// Gives the request being served its own [`RequestSession`].
pub fn provide_request_session() {
    provide_context(RequestSession::default());
}

/// Whether this request's method only reads (RFC 9110 §9.2.1).
fn reads_only() -> bool {
    parts().is_some_and(|p| p.method == http::Method::GET || p.method == http::Method::HEAD)
}

/// The logged-in user of this request, or [`AppError::NotLoggedIn`].
pub async fn logged_in(state: &AppState) -> Result<LoggedIn, AppError> {
    match current(state).await? {
        Some((
            token,
            LiveSession {
                id,
                user,
                state:
                    SessionState::LoggedIn {
                        authenticated_at,
                        totp_enrolment,
                        second_factor,
                        ..
                    },
            },
        )) => Ok(LoggedIn {
            token,
            session_id: id,
            user,
            authenticated_at,
            totp_enrolment,
            second_factor,
        }),
        _ => Err(AppError::NotLoggedIn),
    }
}

/// Like [`logged_in`], and the user authenticated recently (rule F: adding
/// or removing a factor, changing the password).
pub async fn recently_authenticated(state: &AppState) -> Result<LoggedIn, AppError> {
    let found = logged_in(state).await?;
    if is_recent(Some(found.authenticated_at), state.clock.now()) {
        Ok(found)
    } else {
        Err(AppError::RecentLoginRequired)
    }
}

/// The caller as Support (rule U2): logged in, named Support, with a
/// session opened by an app or a key (`backend::support::Agent`).
pub async fn support_agent(state: &AppState) -> Result<Agent, AppError> {
    let me = logged_in(state).await?;
    Ok(Agent::check(state, me.user, me.second_factor)?)
}

/// The user whose password was checked in this session, waiting for the
/// second factor.
pub async fn pending_login(state: &AppState) -> Result<Pending, AppError> {
    match current(state).await? {
        Some((
            token,
            LiveSession {
                id,
                user,
                state:
                    SessionState::AwaitingSecondFactor {
                        password_at,
                        code_sends,
                        ..
                    },
            },
        )) => Ok(Pending {
            token,
            session_id: id,
            user,
            password_at,
            code_sends,
        }),
        _ => Err(AppError::NotLoggedIn),
    }
}

/// Keeps (or forgets) the authenticator-app secret being enrolled.
pub async fn save_totp_enrolment(
    state: &AppState,
    me: &mut LoggedIn,
    secret: Option<String>,
) -> Result<(), AppError> {
    me.totp_enrolment = secret;
    Ok(sessions::save_state(&state.db, &me.token, &me.state()).await?)
}

/// Counts one more e-mailed code sent to this login.
pub async fn count_code_send(state: &AppState, pending: &Pending) -> Result<(), AppError> {
    let next = SessionState::AwaitingSecondFactor {
        user_id: pending.user.id,
        password_at: pending.password_at,
        code_sends: pending.code_sends.saturating_add(1),
    };
    Ok(sessions::save_state(&state.db, &pending.token, &next).await?)
}

/// Replaces the request's session by a new one in `next` (a new id whenever
/// the privilege changes: rule L6), noting where it is opened from (for
/// *Mes sessions*); returns the new session's id.
pub async fn start_session(state: &AppState, next: &SessionState) -> Result<String, AppError> {
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let old = session_token(&state.settings);
    let token = sessions::rotate(
        &state.db,
        old.as_deref(),
        next,
        lifetimes,
        state.clock.now(),
        OpenedFrom::new(&client_ip(), &user_agent()),
    )
    .await?;
    set_cookie(&sessions::cookie(&token, &state.settings))?;
    Ok(token.hash())
}

/// Completes a login with `second_factor`: a new logged-in session for
/// `account`, and the preferences saved on the account applied to this
/// browser (rule P4).
pub async fn finish_login(
    state: &AppState,
    account: &User,
    second_factor: Factor,
) -> Result<(), AppError> {
    start_session(
        state,
        &SessionState::logged_in(account.id, state.clock.now(), second_factor),
    )
    .await?;
    super::preferences::restore_saved(account)
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// A request header as text (empty when absent or not text).
fn header_text(name: http::header::HeaderName) -> String {
    parts()
        .and_then(|p| {
            p.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

fn cookie_header() -> String {
    header_text(COOKIE)
}

/// The session token the browser sent.
pub fn session_token(settings: &crate::backend::settings::Settings) -> Option<String> {
    sessions::token_from_cookie_header(&cookie_header(), settings)
}

/// The client's address: the socket's, or what a trusted proxy says
/// (`backend::client`).
pub fn client_ip() -> String {
    let trusted = crate::backend::app_state()
        .map(|s| s.settings.security.trusted_proxies.clone())
        .unwrap_or_default();
    parts()
        .and_then(|parts| crate::backend::client::of_request(&parts, &trusted))
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The browser's `User-Agent`, as it says (empty when absent or not text).
pub fn user_agent() -> String {
    header_text(http::header::USER_AGENT)
}

/// The value of the request's cookie `name`.
fn cookie_value(name: &str) -> Option<String> {
    cookie::Cookie::split_parse(cookie_header())
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The language the visitor chose (French unless they chose English).
pub fn language() -> Language {
    cookie_value(LANGUAGE_COOKIE)
        .and_then(|tag| Language::parse(&tag))
        .unwrap_or_default()
}

/// The display preferences the visitor chose (rule P4), from their cookies.
pub fn preferences() -> Preferences {
    Preferences {
        language: language(),
        accessibility: cookie_value(ACCESSIBILITY_COOKIE)
            .and_then(|value| parse_switch(&value))
            .unwrap_or(false),
    }
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let response = use_context::<ResponseOptions>().ok_or(AppError::Internal)?;
    let value = HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    response.append_header(SET_COOKIE, value);
    Ok(())
}
