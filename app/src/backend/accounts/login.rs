//! *Se connecter* (rules L1, L2, L5): the password step, then the 6-digit
//! code e-mailed to the login address.
//!
//! Brute force: tries are counted per login address (whether or not it has an
//! account, so a lock-out reveals nothing) with an atomic reservation, and
//! failures per client address; wrong codes are counted on the code itself.

use super::{AccountError, find_by_login, language_of, mail_context};
use crate::backend::audit::{self, AuditEntry};
use crate::backend::entities::login_code;
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::secrets::{Code, hash_secret, matches_hash};
use crate::backend::state::AppState;
use crate::backend::throttle::{self, Limit, Try};
use crate::backend::{mails, outbox};
use crate::domain::account::normalize_email;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

/// Failures from one client address before it is throttled, per lock period.
const CLIENT_MAX_FAILURES: u32 = 20;

/// Why the password step refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginDenied {
    /// Unknown address, wrong password or account not active: one answer.
    BadCredentials,
    /// Too many tries; the lock ends by itself at `until`.
    Locked { until: DateTime<Utc> },
}

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeDenied {
    Wrong,
    /// No live code: expired, used, or never sent. A new one can be asked.
    Expired,
    /// Too many wrong codes: a new one must be asked.
    TooManyAttempts,
}

fn limit(state: &AppState, max: u32) -> Limit {
    Limit { max, lock: Duration::minutes(i64::from(state.settings.security.lockout_minutes.max(1))) }
}

async fn log<C: ConnectionTrait>(
    conn: &C,
    event: &str,
    user_id: Option<i32>,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let entry = AuditEntry {
        actor_user_id: user_id,
        event,
        subject: user_id.map(|id| id.to_string()),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({}),
    };
    audit::record(conn, entry, now).await
}

/// Writes an audit entry about a login of `user_id`.
pub async fn log_event<C: ConnectionTrait>(
    conn: &C,
    event: &str,
    user_id: i32,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    log(conn, event, Some(user_id), client_ip, now).await
}

/// Records a completed login (any second factor): the last login time and
/// the audit entry.
pub async fn record_login<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    event: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::LastLoginAt, Expr::value(Some(now)))
        .filter(user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    log(conn, event, Some(user_id), client_ip, now).await
}

/// The password step: the account if the password is right.
pub async fn check_password(
    state: &AppState,
    login_email: &str,
    password: &str,
    client_ip: &str,
) -> Result<Result<user::Model, LoginDenied>, AccountError> {
    let now = state.clock.now();
    let db = &state.db;
    let email = normalize_email(login_email);
    let account_key = format!("login:{}", hash_secret(&email));
    let client_key = format!("ip:{client_ip}");
    let found = find_by_login(db, &email).await?;
    let user_id = found.as_ref().map(|u| u.id);

    if let Some(until) = throttle::locked_until(db, &client_key, now).await? {
        log(db, "login.locked_client", user_id, client_ip, now).await?;
        return Ok(Err(LoginDenied::Locked { until }));
    }
    let max = state.settings.security.max_failed_logins;
    if let Try::Locked { until } = throttle::reserve(db, &account_key, limit(state, max), now).await? {
        log(db, "login.locked", user_id, client_ip, now).await?;
        return Ok(Err(LoginDenied::Locked { until }));
    }

    let stored = found
        .as_ref()
        .filter(|u| u.status == UserStatus::Active)
        .and_then(|u| u.password_hash.clone());
    let passwords = state.passwords.clone();
    let plain = password.to_owned();
    let right = tokio::task::spawn_blocking(move || passwords.verify(&plain, stored.as_deref()))
        .await
        .map_err(|e| AccountError::Hash(e.to_string()))?;

    match found {
        Some(user) if right => {
            throttle::succeeded(db, &account_key).await?;
            log(db, "login.password_ok", Some(user.id), client_ip, now).await?;
            Ok(Ok(user))
        }
        _ => {
            throttle::count_failure(db, &client_key, limit(state, CLIENT_MAX_FAILURES), now).await?;
            log(db, "login.failed", user_id, client_ip, now).await?;
            Ok(Err(LoginDenied::BadCredentials))
        }
    }
}

/// E-mails a fresh code to the login address; earlier codes stop working.
pub async fn send_login_code(state: &AppState, user: &user::Model) -> Result<(), AccountError> {
    let now = state.clock.now();
    let minutes = state.settings.security.login_code_minutes;
    let code = Code::generate();
    let txn = state.db.begin().await?;
    login_code::Entity::update_many()
        .col_expr(login_code::Column::UsedAt, Expr::value(now))
        .filter(login_code::Column::UserId.eq(user.id))
        .filter(login_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    login_code::ActiveModel {
        user_id: Set(user.id),
        code_hash: Set(code.hash()),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(i64::from(minutes))),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let cx = mail_context(state, language_of(user), &user.login_email);
    outbox::enqueue(&txn, mails::login_code(&cx, &user.first_name, code.expose(), minutes), now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Checks a code: right once, within its lifetime, within the attempts.
pub async fn verify_login_code(
    state: &AppState,
    user_id: i32,
    presented: &str,
    client_ip: &str,
) -> Result<Result<(), CodeDenied>, AccountError> {
    let now = state.clock.now();
    let db = &state.db;
    let live = login_code::Entity::find()
        .filter(login_code::Column::UserId.eq(user_id))
        .filter(login_code::Column::UsedAt.is_null())
        .filter(login_code::Column::ExpiresAt.gt(now))
        .order_by_desc(login_code::Column::Id)
        .one(db)
        .await?;
    let Some(code) = live else {
        return Ok(Err(CodeDenied::Expired));
    };
    // Reserve an attempt atomically: parallel guesses cannot exceed the max.
    let max = i32::try_from(state.settings.security.login_code_max_attempts.max(1)).unwrap_or(5);
    let reserved = login_code::Entity::update_many()
        .col_expr(login_code::Column::Attempts, Expr::col(login_code::Column::Attempts).add(1))
        .filter(login_code::Column::Id.eq(code.id))
        .filter(login_code::Column::Attempts.lt(max))
        .filter(login_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if reserved.rows_affected != 1 {
        log(db, "login.code_locked", Some(user_id), client_ip, now).await?;
        return Ok(Err(CodeDenied::TooManyAttempts));
    }
    if !matches_hash(presented.trim(), &code.code_hash) {
        log(db, "login.code_failed", Some(user_id), client_ip, now).await?;
        return Ok(Err(CodeDenied::Wrong));
    }
    let txn = db.begin().await?;
    let used = login_code::Entity::update_many()
        .col_expr(login_code::Column::UsedAt, Expr::value(now))
        .filter(login_code::Column::Id.eq(code.id))
        .filter(login_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        // The same code, sent twice at once: only one wins.
        return Ok(Err(CodeDenied::Expired));
    }
    record_login(&txn, user_id, "login.succeeded", client_ip, now).await?;
    txn.commit().await?;
    Ok(Ok(()))
}
