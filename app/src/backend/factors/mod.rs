//! Authentication factors as services (rules F1–F4, L3): the authenticator
//! app ([`totp`]), security keys ([`keys`]) and the change of password.
//!
//! Every change commits in one transaction with its notification to the
//! contact address (outbox, rule F4) and its audit entry (rule R4). Whether
//! the caller authenticated recently enough is the server function's check
//! (see `api::factors`); these services check ownership: every query on a
//! factor is filtered by the owner's id.

pub mod keys;
mod password;
pub mod recovery;
pub mod totp;

pub use password::change_password;

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user;
use crate::backend::mails::{self, FactorChange, LoginNotice};
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::domain::factors::LoginFactors;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

/// What the second step of this user's login asks for (rule L3); never a
/// key where keys cannot work (the portal's address is not a domain name).
pub async fn login_factors(state: &AppState, user: &user::Model) -> Result<LoginFactors, DbErr> {
    let mut factors = recovery::account_factors(&state.db, user).await?;
    factors.key &= state.webauthn.is_some();
    Ok(LoginFactors::for_factors(&factors))
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
    let cx = mails::Context::for_user(&state.settings, user);
    let mail = mails::factor_changed(&cx, &user.first_name, &user.login_email, &change);
    outbox::enqueue(conn, mail, now).await?;
    let device = match &change {
        FactorChange::Password
        | FactorChange::RecoveryCodesDrawn
        | FactorChange::EmailCodeRefused
        | FactorChange::EmailCodeAccepted => None,
        FactorChange::TotpAdded(d)
        | FactorChange::TotpRemoved(d)
        | FactorChange::KeyAdded(d)
        | FactorChange::KeyRemoved(d) => Some(d.clone()),
    };
    audit::record(
        conn,
        AuditEntry {
            actor_user_id: Some(user.id),
            event,
            subject: Subject::User(user.id),
            client_ip: Some(client_ip.to_owned()),
            details: serde_json::json!({ "device": device }),
        },
        now,
    )
    .await
}

/// Tells the contact address of a login it should know of, and audits it,
/// on `conn` (the login's transaction).
async fn record_login_notice<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    user: &user::Model,
    notice: LoginNotice,
    event: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let cx = mails::Context::for_user(&state.settings, user);
    outbox::enqueue(
        conn,
        mails::login_notice(&cx, &user.first_name, &user.login_email, notice),
        now,
    )
    .await?;
    let entry = AuditEntry {
        actor_user_id: Some(user.id),
        event,
        subject: Subject::User(user.id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({}),
    };
    audit::record(conn, entry, now).await
}
