//! *Désactiver mon compte* (rule P5, seed 001 §2.2.4): the owner, after
//! giving their password, deactivates their account. A primary manager
//! must first hand the role over for each structure (rule M3: a structure
//! always has one). Deactivated, the account cannot log in (the password
//! step only accepts active accounts), its sessions end at once (every
//! request reads the account's status) and its live links die; the
//! contact address is told how to come back: *Mot de passe oublié ?* sends
//! a deactivated account a link that reactivates it
//! (`accounts::request_reset`).
//!
//! The memberships stay: the managers still see the user in their
//! structure's table, with the account's status (rule M2), and so what the
//! account was responsible for.

use super::check_password;
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::error::{BackendError, Outcome, refuse};
use crate::backend::state::AppState;
use crate::backend::structures::transfer;
use crate::backend::{links, mails, outbox, sessions};
use crate::domain::factors::FactorRefusal;
use crate::domain::login::LoginRefusal;
use crate::domain::my_account::DeactivationRefusal;
use crate::domain::refusal::Refusal;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, TransactionTrait};

/// The names of the structures whose primary manager `user_id` is: each
/// needs a successor first.
pub async fn successors_needed<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Vec<String>, DbErr> {
    Ok(transfer::held_by(conn, user_id)
        .await?
        .into_iter()
        .map(|structure| structure.name)
        .collect())
}

/// Deactivates `owner`'s account if `password` is theirs and they hold no
/// structure's primary manager role.
pub async fn deactivate(
    state: &AppState,
    owner: &user::Model,
    password: &str,
    client_ip: &str,
) -> Outcome<()> {
    let db = &state.db;
    let held = successors_needed(db, owner.id).await?;
    if !held.is_empty() {
        return refuse(DeactivationRefusal::PrimaryManager { structures: held });
    }
    // The password step of the login, with its brute-force counters; a
    // wrong password is the page's "current password" refusal.
    match check_password(state, &owner.login_email, password, client_ip).await {
        Ok(_) => {}
        Err(BackendError::Refused(Refusal::Login(LoginRefusal::BadCredentials))) => {
            return refuse(FactorRefusal::WrongCurrentPassword);
        }
        Err(other) => return Err(other),
    }
    let now = state.clock.now();
    let txn = db.begin().await?;
    // The write first (SQLite: see `accounts::address`), then the check
    // again: a role handed to this user meanwhile stops the deactivation.
    let changed = user::Entity::update_many()
        .col_expr(user::Column::Status, Expr::value(UserStatus::Disabled))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(owner.id))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return refuse(Refusal::NotFound);
    }
    let held = successors_needed(&txn, owner.id).await?;
    if !held.is_empty() {
        return refuse(DeactivationRefusal::PrimaryManager { structures: held });
    }
    let ended = sessions::destroy_all_of_user(&txn, owner.id, None).await?;
    links::retire_all(&txn, owner.id, now).await?;
    let cx = mails::Context::for_user(&state.settings, owner);
    let mail = mails::deactivated(&cx, &owner.first_name, &owner.login_email);
    outbox::enqueue(&txn, mail, now).await?;
    let entry = AuditEntry {
        actor_user_id: Some(owner.id),
        event: "account.deactivated",
        subject: Subject::User(owner.id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "sessions_ended": ended }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}
