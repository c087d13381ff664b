//! Handing over the primary manager's role (rule M3): from the primary
//! manager to an active user attached to the whole structure. The former
//! primary manager stays a manager (they keep their profiles) and may now
//! leave the structure; the new one gets *Organisation modification*. Both
//! are told by e-mail; the *Approbateur* of the histories follows, as it
//! is read from the role.
//!
//! The demotion is a conditional `UPDATE … WHERE role = 'primary_manager'`,
//! the first write of the transaction: of two hand-overs at once, one
//! finds the role already gone and changes nothing.

use crate::backend::accounts::find_by_login;
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations::{denial, set_level, standing_in};
use crate::backend::entities::membership::{self, Role};
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::entities::{membership_service, structure};
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails;
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::domain::attachments::Standing;
use crate::domain::authorisations::{Level, ORGANISATION, TransferRefusal, may_transfer};
use crate::domain::refusal::Refusal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};

/// Hands the primary manager's role of the structure from `actor` to
/// `successor_id`.
pub async fn transfer(
    state: &AppState,
    actor: &user::Model,
    structure_id: i32,
    successor_id: i32,
    client_ip: &str,
) -> Outcome<()> {
    let txn = state.db.begin().await?;
    hand_over(state, &txn, actor, structure_id, successor_id, client_ip).await?;
    txn.commit().await?;
    Ok(())
}

/// *Transférer toutes vos structures vers un seul gestionnaire* (rule
/// M3): hands every structure `actor` is primary manager of to the account
/// of `login_email`, all or nothing: if the successor may not receive one
/// of them (not attached to the whole of it, suspended), none is handed
/// over. An address without an account, or attached to none of them, is
/// refused the same way as an ineligible user (nothing is said of who has
/// an account). How many structures were handed over.
pub async fn transfer_all(
    state: &AppState,
    actor: &user::Model,
    login_email: &str,
    client_ip: &str,
) -> Outcome<usize> {
    let txn = state.db.begin().await?;
    let held: Vec<i32> = held_by(&txn, actor.id)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if held.is_empty() {
        return refuse(TransferRefusal::NotPrimaryManager);
    }
    let Some(successor) = find_by_login(&txn, login_email).await? else {
        return refuse(TransferRefusal::NotEligible);
    };
    for structure_id in &held {
        hand_over(state, &txn, actor, *structure_id, successor.id, client_ip).await?;
    }
    txn.commit().await?;
    Ok(held.len())
}

/// The structures `user_id` is primary manager of, by identifier.
pub async fn held_by<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Vec<structure::Model>, DbErr> {
    let held = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::Role.eq(Role::PrimaryManager))
        .find_also_related(structure::Entity)
        .order_by_asc(structure::Column::Identifier)
        .all(conn)
        .await?;
    Ok(held.into_iter().filter_map(|(_, s)| s).collect())
}

/// One structure's hand-over, in the caller's transaction.
async fn hand_over(
    state: &AppState,
    txn: &DatabaseTransaction,
    actor: &user::Model,
    structure_id: i32,
    successor_id: i32,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let find = |user_id: i32| {
        membership::Entity::find()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::StructureId.eq(structure_id))
            .find_also_related(user::Entity)
    };
    let Some((mine, _)) = find(actor.id).one(txn).await? else {
        return refuse(Refusal::NotFound);
    };
    let standing = standing_in(txn, &mine).await?;
    if standing == Standing::Stranger {
        // Suspended: as if not attached (rule H6).
        return refuse(denial(standing));
    }
    let Some((theirs, Some(successor))) = find(successor_id).one(txn).await? else {
        // Not attached: nothing is said of who is (rule H6).
        may_transfer(standing, false, true, true)?;
        return refuse(TransferRefusal::NotEligible);
    };
    let narrowed = membership_service::Entity::find()
        .filter(membership_service::Column::MembershipId.eq(theirs.id))
        .count(txn)
        .await?;
    may_transfer(
        standing,
        successor.id == actor.id,
        successor.status == UserStatus::Active && theirs.deactivated_at.is_none(),
        narrowed == 0,
    )?;
    let demoted = membership::Entity::update_many()
        .col_expr(membership::Column::Role, Expr::value(Role::Member))
        .filter(membership::Column::Id.eq(mine.id))
        .filter(membership::Column::Role.eq(Role::PrimaryManager))
        .exec(txn)
        .await?;
    if demoted.rows_affected == 0 {
        return refuse(TransferRefusal::NotPrimaryManager);
    }
    membership::Entity::update_many()
        .col_expr(membership::Column::Role, Expr::value(Role::PrimaryManager))
        .filter(membership::Column::Id.eq(theirs.id))
        .exec(txn)
        .await?;
    set_level(txn, theirs.id, ORGANISATION, Some(Level::Modification), now).await?;
    // The technical account's contact address follows the primary manager
    // (rule M3, seed 002): when technical accounts exist (issue 17), it is
    // updated here, in this transaction.
    let Some(target) = structure::Entity::find_by_id(structure_id).one(txn).await? else {
        return refuse(Refusal::NotFound);
    };
    let link = state
        .settings
        .site
        .link(&format!("/structures/{structure_id}"));
    let full = |u: &user::Model| format!("{} {}", u.first_name, u.last_name);
    let to_successor = mails::transfer_received(
        &mails::Context::for_user(&state.settings, &successor),
        &successor.first_name,
        &target.name,
        &full(actor),
        &link,
    );
    outbox::enqueue(txn, to_successor, now).await?;
    let to_former = mails::transfer_made(
        &mails::Context::for_user(&state.settings, actor),
        &actor.first_name,
        &target.name,
        &full(&successor),
        &link,
    );
    outbox::enqueue(txn, to_former, now).await?;
    let entry = AuditEntry {
        actor_user_id: Some(actor.id),
        event: "structure.transferred",
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "from": actor.id, "to": successor.id }),
    };
    audit::record(txn, entry, now).await?;
    Ok(())
}
