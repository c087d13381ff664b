//! Server-side sessions (rule L6).
//!
//! The browser holds a random token in an HttpOnly, SameSite=Lax cookie
//! (Secure whenever the portal is served over https, and then named with the
//! `__Host-` prefix: see [`cookie_name`]); the `sessions` table
//! keeps only the token's hash. A session ends when it is destroyed (logout),
//! after `session_idle_minutes` without use, or `session_absolute_hours` after
//! it began. The id is rotated at login ([`rotate`]).
//!
//! What a session *is* is the typed state machine [`SessionState`]: waiting
//! for the second factor, or logged in (with when the user last proved who
//! they are). The `user_id` column is set in both states, so ending every
//! session of a user (password change or reset) also ends the half-logged-in
//! ones. Every reader goes through [`resume`], which also checks that the
//! account is still active.
//!
//! Why not tower-sessions: expiry must follow the server clock of
//! `AppState` (so the test clock of rule R-T1 can expire a session end to end)
//! and sessions must sit in the shared database of rule R2; tower-sessions
//! reads the wall clock. What is left is small: a table, a hash, a cookie.

use crate::backend::entities::session;
use crate::backend::entities::user::{self, UserStatus};

/// The account a session belongs to, as the session layer hands it on.
pub use crate::backend::entities::user::Model as User;
use crate::backend::secrets::{Token, hash_secret};
use crate::backend::settings::Settings;
use crate::domain::factors::Factor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};

mod cookie;
mod devices;
pub use cookie::{cookie, cookie_name, removal_cookie, secure_cookies, token_from_cookie_header};
pub use devices::{
    OpenedFrom, SessionSummary, Whose, end_by_operator, end_one_of_user, end_others_of_user,
    live_sessions_of_user,
};

/// What a session is (rules L2, L3, L6).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionState {
    /// The password was checked at `password_at`; the second factor is
    /// awaited. `code_sends` counts the e-mailed codes sent to this login.
    AwaitingSecondFactor {
        user_id: i32,
        password_at: DateTime<Utc>,
        code_sends: u32,
    },
    /// Logged in. `authenticated_at`: the last time the user proved who they
    /// are (a full login: password and second factor): factor changes need it
    /// recent.
    /// `totp_enrolment`: the authenticator-app secret being enrolled (rule
    /// F2), kept here, on the server, between the QR code and the first code.
    /// `second_factor`: the factor of that login (Support needs an app or a
    /// key: `domain::support`); `None` in sessions opened before it was kept.
    LoggedIn {
        user_id: i32,
        authenticated_at: DateTime<Utc>,
        totp_enrolment: Option<String>,
        #[serde(default)]
        second_factor: Option<Factor>,
    },
}

impl SessionState {
    /// A session logged in now with `second_factor`.
    pub fn logged_in(user_id: i32, now: DateTime<Utc>, second_factor: Factor) -> SessionState {
        SessionState::LoggedIn {
            user_id,
            authenticated_at: now,
            totp_enrolment: None,
            second_factor: Some(second_factor),
        }
    }

    /// Whose session it is, in either state.
    pub fn user_id(&self) -> i32 {
        match self {
            SessionState::AwaitingSecondFactor { user_id, .. }
            | SessionState::LoggedIn { user_id, .. } => *user_id,
        }
    }
}

// The enrolment secret stays out of logs.
impl std::fmt::Debug for SessionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionState::AwaitingSecondFactor {
                user_id,
                password_at,
                code_sends,
            } => f
                .debug_struct("AwaitingSecondFactor")
                .field("user_id", user_id)
                .field("password_at", password_at)
                .field("code_sends", code_sends)
                .finish(),
            SessionState::LoggedIn {
                user_id,
                authenticated_at,
                totp_enrolment,
                second_factor,
            } => f
                .debug_struct("LoggedIn")
                .field("user_id", user_id)
                .field("authenticated_at", authenticated_at)
                .field("totp_enrolment", &totp_enrolment.as_ref().map(|_| "<set>"))
                .field("second_factor", second_factor)
                .finish(),
        }
    }
}

/// A live session of an active account.
#[derive(Debug, Clone)]
pub struct LiveSession {
    /// The session's id as stored (the token's hash).
    pub id: String,
    pub state: SessionState,
    pub user: user::Model,
}

/// The live session of `token`, if its account is still active; a session
/// whose account is not (or whose state is unreadable) is ended here.
pub async fn resume<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<Option<LiveSession>, DbErr> {
    let Some((row, account)) = load_with_user(conn, token, lifetimes, now).await? else {
        return Ok(None);
    };
    let state = serde_json::from_str::<SessionState>(&row.data).ok();
    // `account` is the row's `user_id`'s: it must also be the state's.
    let user = match &state {
        Some(state) => {
            account.filter(|u| u.status == UserStatus::Active && u.id == state.user_id())
        }
        None => None,
    };
    match (state, user) {
        (Some(state), Some(user)) => Ok(Some(LiveSession {
            id: row.id,
            state,
            user,
        })),
        _ => {
            destroy(conn, token).await?;
            Ok(None)
        }
    }
}

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Lifetimes {
    pub fn from_settings(settings: &Settings) -> Lifetimes {
        Lifetimes {
            idle: Duration::minutes(i64::from(settings.security.session_idle_minutes.max(1))),
            absolute: Duration::hours(i64::from(settings.security.session_absolute_hours.max(1))),
        }
    }

    /// How stale a session's "last seen" may get before [`load`] writes it
    /// again: a thirtieth of the idle time, at most a minute.
    pub fn refresh_step(self) -> Duration {
        (self.idle / 30).min(Duration::minutes(1))
    }
}

/// The logged-in user of `token`, for the routes that are not server
/// functions (the CSV export): [`resume`], and the session must be logged in
/// (a session waiting for its second factor is not).
pub async fn logged_in_user<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<Option<user::Model>, DbErr> {
    Ok(resume(conn, token, lifetimes, now)
        .await?
        .and_then(|live| match live.state {
            SessionState::LoggedIn { .. } => Some(live.user),
            SessionState::AwaitingSecondFactor { .. } => None,
        }))
}

/// Starts a session, not saying where from; returns the token for the
/// cookie.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    state: &SessionState,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<Token, DbErr> {
    insert(conn, state, lifetimes, now, OpenedFrom::default()).await
}

async fn insert<C: ConnectionTrait>(
    conn: &C,
    state: &SessionState,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
    from: OpenedFrom,
) -> Result<Token, DbErr> {
    let token = Token::generate();
    session::ActiveModel {
        id: Set(token.hash()),
        user_id: Set(Some(state.user_id())),
        data: Set(encode(state)?),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + lifetimes.absolute),
        client_address: Set(from.client_address),
        user_agent: Set(from.user_agent),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// The live session of `token`, marked as used now; `None` when the token is
/// unknown or the session has expired (an expired row is deleted).
///
/// "Used now" is written at most once per [`Lifetimes::refresh_step`]: a
/// page asks for the session several times, and a write per request made
/// every logged-in page wait on the database's write lock (SQLite has one
/// writer; issue 16 measured a p99 of 92 ms on *Mes structures*). A session
/// may therefore end up to one step (a minute at most) before its idle time
/// counted from the very last request.
pub async fn load<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<Option<session::Model>, DbErr> {
    Ok(load_with_user(conn, token, lifetimes, now)
        .await?
        .map(|(session, _)| session))
}

/// [`load`], with the session's account read in the same query.
async fn load_with_user<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<Option<(session::Model, Option<user::Model>)>, DbErr> {
    let id = hash_secret(token);
    let Some((found, user)) = session::Entity::find_by_id(id.clone())
        .find_also_related(user::Entity)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if found.expires_at <= now || found.last_seen_at + lifetimes.idle <= now {
        session::Entity::delete_by_id(id).exec(conn).await?;
        return Ok(None);
    }
    if now - found.last_seen_at < lifetimes.refresh_step() {
        return Ok(Some((found, user)));
    }
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .exec(conn)
        .await?;
    let found = session::Model {
        last_seen_at: now,
        ..found
    };
    Ok(Some((found, user)))
}

/// Replaces the session of `old_token` (if any) by a new one: the id changes
/// whenever the privilege does (login), so a token planted before login is
/// worth nothing after it. The new session notes where it is opened `from`.
pub async fn rotate<C: ConnectionTrait>(
    conn: &C,
    old_token: Option<&str>,
    state: &SessionState,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
    from: OpenedFrom,
) -> Result<Token, DbErr> {
    if let Some(old) = old_token {
        destroy(conn, old).await?;
    }
    insert(conn, state, lifetimes, now, from).await
}

/// Replaces the state of a live session (same user, same id).
pub async fn save_state<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    state: &SessionState,
) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::Data, Expr::value(encode(state)?))
        .filter(session::Column::Id.eq(hash_secret(token)))
        .exec(conn)
        .await?;
    Ok(())
}

fn encode(state: &SessionState) -> Result<String, DbErr> {
    serde_json::to_string(state).map_err(|e| DbErr::Custom(format!("session state: {e}")))
}

/// Ends one session (logout).
pub async fn destroy<C: ConnectionTrait>(conn: &C, token: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(hash_secret(token))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep`, in either state (after a
/// password change or reset).
pub async fn destroy_all_of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::Id.ne(hash_secret(keep)));
    }
    Ok(delete.exec(conn).await?.rows_affected)
}

/// Deletes expired sessions (housekeeping; `load` also refuses them).
pub async fn purge_expired<C: ConnectionTrait>(
    conn: &C,
    lifetimes: Lifetimes,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let result = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::LastSeenAt.lte(now - lifetimes.idle)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
