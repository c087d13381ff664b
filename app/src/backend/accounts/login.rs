//! *Se connecter* (rules L1, L2, L5): the password step, then the 6-digit
//! code e-mailed to the login address.
//!
//! Every try goes through the brute-force [`Guard`] (wrong codes count like
//! wrong passwords). A code belongs to the half-logged-in session that asked
//! for it: it works there only, and a new one retires only that session's
//! earlier codes. Sends are limited per login ([`MAX_SENDS_PER_LOGIN`]) and
//! per account ([`MAX_SENDS_PER_HOUR`]).

use super::{find_by_login, language_of, mail_context};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::login_code;
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::error::{Outcome, refuse};
use crate::backend::guard::Guard;
use crate::backend::secrets::{Code, matches_hash};
use crate::backend::state::AppState;
use crate::backend::throttle::{self, Limit, Try};
use crate::backend::{mails, outbox};
use crate::domain::login::LoginRefusal;
use crate::domain::password::Password;
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

/// E-mailed codes one login (one half-logged-in session) may ask for.
pub const MAX_SENDS_PER_LOGIN: u32 = 5;
/// E-mailed codes one account may receive in an hour, across logins.
pub const MAX_SENDS_PER_HOUR: u32 = 10;

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
        subject: Subject::user(user_id),
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
) -> Outcome<user::Model> {
    // Longer than any password can be: refused before it is counted or hashed.
    let password = Password::typed(password).map_err(Refusal::from)?;
    let now = state.clock.now();
    let db = &state.db;
    let email = crate::domain::account::normalize_email(login_email);
    let found = find_by_login(db, &email).await?;
    let user_id = found.as_ref().map(|u| u.id);
    let guard = Guard::new(&email, user_id, client_ip);
    let _verifying = guard.reserve(state).await?;

    let stored = found
        .as_ref()
        .filter(|u| u.status == UserStatus::Active)
        .and_then(|u| u.password_hash.clone());
    let right = state.passwords.verify(password, stored).await?;

    match found {
        Some(user) if right => {
            guard.succeeded(db).await?;
            log(db, "login.password_ok", Some(user.id), client_ip, now).await?;
            Ok(user)
        }
        _ => {
            guard.failed(state).await?;
            log(db, "login.failed", user_id, client_ip, now).await?;
            refuse(LoginRefusal::BadCredentials)
        }
    }
}

/// E-mails a fresh code to the login address for the half-logged-in
/// session `session_id`, which has sent `sent_before` codes already; its
/// earlier codes stop working.
pub async fn send_login_code(
    state: &AppState,
    user: &user::Model,
    session_id: &str,
    sent_before: u32,
) -> Outcome<()> {
    let now = state.clock.now();
    if sent_before >= MAX_SENDS_PER_LOGIN {
        return refuse(LoginRefusal::TooManyCodesSent);
    }
    let hourly = Limit {
        max: MAX_SENDS_PER_HOUR,
        window: Duration::hours(1),
        lock: Duration::hours(1),
    };
    let sends_key = format!("code-sends:{}", user.id);
    if let Try::Locked { until } = throttle::reserve(&state.db, &sends_key, hourly, now).await? {
        log(
            &state.db,
            "login.code_sends_limited",
            Some(user.id),
            "",
            now,
        )
        .await?;
        return refuse(LoginRefusal::Locked { until });
    }
    let minutes = state.settings.security.login_code_minutes;
    let code = Code::generate();
    let txn = state.db.begin().await?;
    login_code::Entity::update_many()
        .col_expr(login_code::Column::UsedAt, Expr::value(now))
        .filter(login_code::Column::UserId.eq(user.id))
        .filter(login_code::Column::SessionId.eq(session_id))
        .filter(login_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    login_code::ActiveModel {
        user_id: Set(user.id),
        session_id: Set(Some(session_id.to_owned())),
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
    outbox::enqueue(
        &txn,
        mails::login_code(&cx, &user.first_name, code.expose(), minutes),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Checks a code of the session `session_id`: right once, within its
/// lifetime, within the code's attempts and the [`Guard`]'s.
pub async fn verify_login_code(
    state: &AppState,
    user: &user::Model,
    session_id: &str,
    presented: &str,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let db = &state.db;
    let user_id = user.id;
    let guard = Guard::new(&user.login_email, Some(user_id), client_ip);
    let _verifying = guard.reserve(state).await?;
    let live = login_code::Entity::find()
        .filter(login_code::Column::UserId.eq(user_id))
        .filter(login_code::Column::SessionId.eq(session_id))
        .filter(login_code::Column::UsedAt.is_null())
        .filter(login_code::Column::ExpiresAt.gt(now))
        .order_by_desc(login_code::Column::Id)
        .one(db)
        .await?;
    let Some(code) = live else {
        return refuse(LoginRefusal::CodeExpired);
    };
    // Reserve an attempt atomically: parallel guesses cannot exceed the max.
    let max = i32::try_from(state.settings.security.login_code_max_attempts.max(1)).unwrap_or(5);
    let reserved = login_code::Entity::update_many()
        .col_expr(
            login_code::Column::Attempts,
            Expr::col(login_code::Column::Attempts).add(1),
        )
        .filter(login_code::Column::Id.eq(code.id))
        .filter(login_code::Column::Attempts.lt(max))
        .filter(login_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if reserved.rows_affected != 1 {
        log(db, "login.code_locked", Some(user_id), client_ip, now).await?;
        return refuse(LoginRefusal::CodeTooManyAttempts);
    }
    if !matches_hash(presented.trim(), &code.code_hash) {
        guard.failed(state).await?;
        log(db, "login.code_failed", Some(user_id), client_ip, now).await?;
        return refuse(LoginRefusal::CodeWrong);
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
        return refuse(LoginRefusal::CodeExpired);
    }
    guard.succeeded(&txn).await?;
    record_login(&txn, user_id, "login.succeeded", client_ip, now).await?;
    txn.commit().await?;
    Ok(())
}
