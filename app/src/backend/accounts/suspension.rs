//! Support deactivates and reactivates accounts, with a reason (rule U2):
//! an account used to defraud, or taken over, is stopped at once.
//!
//! Support's deactivation is a status of its own, `suspended`, because
//! the owner's own deactivation (rule P5) is undone by *Mot de passe
//! oublié ?*, and a suspension must not be: only Support lifts it
//! (`accounts::password` sends no link to a suspended account and no link
//! sets one active). Suspending ends every session and every live link of
//! the account; both acts tell the account's contact address why, and are
//! audited with the agent and the reason. The memberships stay, as for
//! P5: the managers see the account as deactivated in their tables.
//!
//! Support accounts are named by configuration and leave it the same way;
//! no agent suspends one (nor itself).

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::backend::support::Agent;
use crate::backend::{links, mails, outbox, sessions};
use crate::domain::refusal::Refusal;
use crate::domain::support::{AccountState, SupportRefusal};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// The account whose login address is `address` (lower case), for Support.
pub async fn find(state: &AppState, _agent: &Agent, address: &str) -> Outcome<user::Model> {
    match super::find_by_login(&state.db, address).await? {
        Some(found) => Ok(found),
        None => refuse(Refusal::NotFound),
    }
}

/// What Support is shown of an account's status.
pub fn state_of(status: UserStatus) -> AccountState {
    match status {
        UserStatus::Pending => AccountState::Pending,
        UserStatus::Active => AccountState::Active,
        UserStatus::Disabled => AccountState::DeactivatedByOwner,
        UserStatus::Suspended => AccountState::DeactivatedBySupport,
    }
}

/// The account Support acts on, by id.
async fn target(state: &AppState, user_id: i32) -> Outcome<user::Model> {
    match user::Entity::find_by_id(user_id).one(&state.db).await? {
        Some(found) => Ok(found),
        None => refuse(Refusal::NotFound),
    }
}

/// Support deactivates account `user_id` for `reason` (checked).
pub async fn suspend(
    state: &AppState,
    agent: &Agent,
    user_id: i32,
    reason: &str,
    client_ip: &str,
) -> Outcome<()> {
    let target = target(state, user_id).await?;
    // Support accounts leave `[support] logins` instead; none suspends itself.
    if state.settings.support.is_support(&target.login_email) {
        return refuse(SupportRefusal::SupportAccount);
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    // The write first (SQLite), conditional: of two agents, one suspends.
    let changed = user::Entity::update_many()
        .col_expr(user::Column::Status, Expr::value(UserStatus::Suspended))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Status.ne(UserStatus::Suspended))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return refuse(SupportRefusal::AccountUnchanged);
    }
    let ended = sessions::destroy_all_of_user(&txn, user_id, None).await?;
    links::retire_all(&txn, user_id, now).await?;
    let cx = mails::Context::for_user(&state.settings, &target);
    outbox::enqueue(&txn, mails::suspended(&cx, &target.first_name, reason), now).await?;
    let entry = AuditEntry {
        actor_user_id: Some(agent.id()),
        event: "account.deactivated_by_support",
        subject: Subject::User(user_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({
            "reason": reason,
            "was": target.status.to_value(),
            "sessions_ended": ended,
        }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Support reactivates account `user_id`, suspended, for `reason`. An
/// account that never chose a password goes back to waiting for its
/// activation; any other becomes active.
pub async fn restore(
    state: &AppState,
    agent: &Agent,
    user_id: i32,
    reason: &str,
    client_ip: &str,
) -> Outcome<()> {
    let target = target(state, user_id).await?;
    // The password cannot change while suspended (no link works).
    let back_to = if target.password_hash.is_some() {
        UserStatus::Active
    } else {
        UserStatus::Pending
    };
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let changed = user::Entity::update_many()
        .col_expr(user::Column::Status, Expr::value(back_to))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Status.eq(UserStatus::Suspended))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return refuse(SupportRefusal::AccountUnchanged);
    }
    let cx = mails::Context::for_user(&state.settings, &target);
    let link = state.settings.site.link("/connexion");
    let mail = mails::restored(&cx, &target.first_name, reason, &link);
    outbox::enqueue(&txn, mail, now).await?;
    let entry = AuditEntry {
        actor_user_id: Some(agent.id()),
        event: "account.reactivated_by_support",
        subject: Subject::User(user_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "reason": reason, "now": back_to.to_value() }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}
