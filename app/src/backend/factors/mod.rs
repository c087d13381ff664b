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
pub mod totp;

pub use password::change_password;

use crate::backend::audit::{self, AuditEntry};
use crate::backend::entities::{security_key, totp_app, user};
use crate::backend::mails::{self, FactorChange};
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::domain::factors::LoginFactors;
use crate::domain::preferences::Language;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

/// What the second step of this user's login asks for (rule L3); never a
/// key where keys cannot work (the portal's address is not a domain name).
pub async fn login_factors(state: &AppState, user_id: i32) -> Result<LoginFactors, DbErr> {
    let conn = &state.db;
    let has_totp = totp_app::Entity::find()
        .filter(totp_app::Column::UserId.eq(user_id))
        .count(conn)
        .await?
        > 0;
    let has_key = security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .count(conn)
        .await?
        > 0;
    Ok(LoginFactors::for_account(
        has_totp,
        has_key && state.webauthn.is_some(),
    ))
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
            subject: Some(user.id.to_string()),
            client_ip: Some(client_ip.to_owned()),
            details: serde_json::json!({ "device": device }),
        },
        now,
    )
    .await
}
