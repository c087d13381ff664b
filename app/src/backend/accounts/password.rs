//! Choosing a password through a link (rules A3–A5, L4): activation and
//! *Mot de passe oublié ?* end in the same form and the same service.

use super::{find_by_login, language_of, mail_context, portal_link};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::entities::user_token::TokenPurpose;
use crate::backend::error::Outcome;
use crate::backend::links;
use crate::backend::secrets::hash_secret;
use crate::backend::state::AppState;
use crate::backend::structures::invitations;
use crate::backend::throttle::{self, Limit, Try};
use crate::backend::{mails, outbox, sessions};
use crate::domain::account::normalize_email;
use crate::domain::password::{self, PersonalData};
use crate::domain::refusal::Refusal;
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Reset links one address may receive in an hour.
pub const RESETS_PER_ADDRESS_PER_HOUR: u32 = 3;
/// Reset requests one client address may make in an hour.
pub const RESETS_PER_CLIENT_PER_HOUR: u32 = 10;

/// Sends a password link to the login address, if it has an account (an
/// account never activated gets one too: rule A5; a deactivated one gets a
/// link that reactivates it: rule P5), and
/// if neither the address nor the client has asked too often (then nothing
/// is sent, and the audit log says so). The caller answers the same
/// whatever happens here (rule L4).
pub async fn request_reset(state: &AppState, login_email: &str, client_ip: &str) -> Outcome<()> {
    let now = state.clock.now();
    let email = normalize_email(login_email);
    let hourly = |max| Limit {
        max,
        window: Duration::hours(1),
        lock: Duration::hours(1),
    };
    let address_key = format!("reset:{}", hash_secret(&email));
    let client_key = format!("reset-client:{client_ip}");
    for (key, max) in [
        (client_key, RESETS_PER_CLIENT_PER_HOUR),
        (address_key, RESETS_PER_ADDRESS_PER_HOUR),
    ] {
        if let Try::Locked { .. } = throttle::reserve(&state.db, &key, hourly(max), now).await? {
            let entry = AuditEntry {
                actor_user_id: None,
                event: "account.reset_limited",
                subject: Subject::Nothing,
                client_ip: Some(client_ip.to_owned()),
                details: serde_json::json!({}),
            };
            audit::record(&state.db, entry, now).await?;
            return Ok(());
        }
    }
    let txn = state.db.begin().await?;
    // Nothing for an unknown address, nor for an account Support
    // deactivated: only Support reactivates it (`accounts::suspension`).
    let Some(user) = find_by_login(&txn, &email)
        .await?
        .filter(|u| u.status != UserStatus::Suspended)
    else {
        return Ok(());
    };
    // A deactivated account gets a link that reactivates it (rule P5): the
    // same page, a new password, and the account is active again.
    let reactivating = user.status == UserStatus::Disabled;
    let purpose = if reactivating {
        TokenPurpose::Reactivation
    } else {
        TokenPurpose::Reset
    };
    let minutes = state.settings.security.reset_link_minutes;
    let token = links::issue(
        &txn,
        user.id,
        purpose,
        Duration::minutes(i64::from(minutes)),
        now,
    )
    .await?;
    let link = portal_link(
        state,
        &format!("/reinitialisation?jeton={}", token.expose()),
    );
    let cx = mail_context(state, language_of(&user), &user.login_email);
    let mail = if reactivating {
        mails::reactivation(&cx, &user.first_name, &link, minutes)
    } else {
        mails::reset(&cx, &user.first_name, &link, minutes)
    };
    outbox::enqueue(&txn, mail, now).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor_user_id: None,
            event: if reactivating {
                "account.reactivation_requested"
            } else {
                "account.reset_requested"
            },
            subject: Subject::User(user.id),
            client_ip: None,
            details: serde_json::json!({}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the password of the link's account and activates it (a
/// reactivation link also brings a deactivated account back); every session
/// of the account ends (whoever knew the old password is logged out).
pub async fn set_password_with_link(
    state: &AppState,
    token: &str,
    new_password: &str,
) -> Outcome<i32> {
    // Refuse a dead link before paying for the hash.
    let link = links::check(&state.db, token, state.clock.now()).await?;
    // Policy A4 and the portal's additions, with the account's names.
    let owner = user::Entity::find_by_id(link.user_id)
        .one(&state.db)
        .await?;
    let personal = owner
        .as_ref()
        .map(|u| PersonalData::new(&u.first_name, &u.last_name, &u.login_email));
    let new_password = password::accept(new_password, &personal.unwrap_or_default())
        .map_err(Refusal::WeakPassword)?;
    let hash = state.passwords.hash(new_password).await??;

    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let link = links::consume(&txn, token, now).await?;
    links::retire_all(&txn, link.user_id, now).await?;
    let reactivating = link.purpose == TokenPurpose::Reactivation;
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(Some(hash)))
        .col_expr(user::Column::Status, Expr::value(UserStatus::Active))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(link.user_id));
    // Only a reactivation link brings a deactivated account back, and no
    // link one that Support deactivated.
    update = update.filter(user::Column::Status.ne(UserStatus::Suspended));
    if !reactivating {
        update = update.filter(user::Column::Status.ne(UserStatus::Disabled));
    }
    update.exec(&txn).await?;
    let ended = sessions::destroy_all_of_user(&txn, link.user_id, None).await?;
    // The link proved the address: the structures it was invited to take
    // the account in (rule M2), whichever link (rule A5 lets a never
    // activated account use a reset link).
    if let Some(owner) = owner.filter(|u| reactivating || u.status != UserStatus::Disabled) {
        invitations::accept(&txn, owner.id, &owner.login_email, now).await?;
    }
    let event = match link.purpose {
        TokenPurpose::Activation => "account.activated",
        TokenPurpose::Reset => "account.password_reset",
        TokenPurpose::Reactivation => "account.reactivated",
    };
    audit::record(
        &txn,
        AuditEntry {
            actor_user_id: Some(link.user_id),
            event,
            subject: Subject::User(link.user_id),
            client_ip: None,
            details: serde_json::json!({ "sessions_ended": ended }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(link.user_id)
}
