//! Authentication factors as services (rules F1–F4, L3): the authenticator
//! app ([`app`]), security keys ([`keys`]) and the change of password.
//!
//! Every change commits in one transaction with its notification to the
//! contact address (outbox, rule F4) and its audit entry (rule R4). Whether
//! the caller authenticated recently enough is the server function's check
//! (see `api::factors`); these services check ownership: every query on a
//! factor is filtered by the owner's id.

pub mod app;
pub mod keys;
mod password;

pub use password::{ChangeDenied, change_password};

use crate::backend::audit::{self, AuditEntry};
use crate::backend::entities::{security_key, totp_app, user};
use crate::backend::mails::{self, FactorChange};
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::backend::throttle::Limit;
use crate::domain::factors::LoginFactors;
use crate::domain::preferences::Language;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

/// An infrastructure failure; details go to the log.
#[derive(Debug, thiserror::Error)]
pub enum FactorError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("webauthn: {0}")]
    Webauthn(String),
    #[error("stored state unreadable: {0}")]
    State(#[from] serde_json::Error),
    #[error("totp: {0}")]
    Totp(String),
}

impl From<crate::backend::accounts::AccountError> for FactorError {
    fn from(error: crate::backend::accounts::AccountError) -> Self {
        use crate::backend::accounts::AccountError;
        match error {
            AccountError::Db(e) => FactorError::Db(e),
            AccountError::Hash(e) => FactorError::Hash(e),
        }
    }
}

/// What the second step of this user's login asks for (rule L3).
pub async fn login_factors<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<LoginFactors, DbErr> {
    let has_app = totp_app::Entity::find()
        .filter(totp_app::Column::UserId.eq(user_id))
        .count(conn)
        .await?
        > 0;
    let has_key = security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .count(conn)
        .await?
        > 0;
    Ok(LoginFactors::for_account(has_app, has_key))
}

/// Wrong second-factor answers (app codes, keys) allowed before a lock.
fn second_factor_limit(state: &AppState) -> Limit {
    Limit {
        max: state.settings.security.max_failed_logins.max(1),
        lock: Duration::minutes(i64::from(state.settings.security.lockout_minutes.max(1))),
    }
}

/// The throttle key of a user's second-factor answers.
fn second_factor_key(user_id: i32) -> String {
    format!("second-factor:{user_id}")
}

/// Writes the notification and the audit entry of a change, on `conn` (the
/// change's transaction).
async fn record_change<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    user: &user::Model,
    change: FactorChange,
    event: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let cx = mails::Context {
        language: Language::parse(&user.language).unwrap_or_default(),
        product: &state.settings.site.product_name,
        recipient: &user.contact_email,
    };
    let mail = mails::factor_changed(&cx, &user.first_name, &user.login_email, &change);
    outbox::enqueue(conn, mail, now).await?;
    let device = match &change {
        FactorChange::Password => None,
        FactorChange::AppAdded(d)
        | FactorChange::AppRemoved(d)
        | FactorChange::KeyAdded(d)
        | FactorChange::KeyRemoved(d) => Some(d.clone()),
    };
    audit::record(
        conn,
        AuditEntry {
            actor_user_id: Some(user.id),
            event,
            subject: Some(user.id.to_string()),
            client_ip: Some(client_ip.to_owned()),
            details: serde_json::json!({ "device": device }),
        },
        now,
    )
    .await
}
