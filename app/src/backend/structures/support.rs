//! Support's approval of public entities' structures (rules S10, U2), or
//! their refusal. Every function here takes the checked Support [`Agent`].
//!
//! A refused structure is deleted (with what hangs on it: its creator's
//! membership, services, requests), so that its creator may create it
//! again with corrected details; its identifier, name and the reason stay
//! in the audit entry, and the creator is told the reason by e-mail.

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::db::page_of;
use crate::backend::entities::structure::{self, StructureStatus};
use crate::backend::entities::user;
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails;
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::backend::support::Agent;
use crate::domain::refusal::Refusal;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

/// A structure waiting for Support, with its creator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingLine {
    pub structure: structure::Model,
    pub creator: Option<user::Model>,
}

/// A page of the structures waiting for Support, oldest first.
pub async fn awaiting(
    state: &AppState,
    _agent: &Agent,
    page: u64,
    per_page: u64,
) -> Outcome<(Vec<AwaitingLine>, u64)> {
    let waiting = structure::Entity::find()
        .filter(structure::Column::Status.eq(StructureStatus::AwaitingSupport))
        .order_by_asc(structure::Column::Id);
    let (rows, total) = page_of(&state.db, waiting, page, per_page).await?;
    let creators = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|s| s.created_by).collect::<Vec<_>>()))
        .all(&state.db)
        .await?;
    let lines = rows
        .into_iter()
        .map(|structure| {
            let creator = creators
                .iter()
                .find(|u| u.id == structure.created_by)
                .cloned();
            AwaitingLine { structure, creator }
        })
        .collect();
    Ok((lines, total))
}

/// Makes a waiting structure active and tells its creator; *not found* when
/// no structure with this id waits for Support.
pub async fn approve(
    state: &AppState,
    agent: &Agent,
    structure_id: i32,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let changed = structure::Entity::update_many()
        .col_expr(
            structure::Column::Status,
            Expr::value(StructureStatus::Active),
        )
        .filter(structure::Column::Id.eq(structure_id))
        .filter(structure::Column::Status.eq(StructureStatus::AwaitingSupport))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        txn.rollback().await?;
        return refuse(Refusal::NotFound);
    }
    let approved = structure::Entity::find_by_id(structure_id)
        .one(&txn)
        .await?;
    let creator = match &approved {
        Some(approved) => {
            user::Entity::find_by_id(approved.created_by)
                .one(&txn)
                .await?
        }
        None => None,
    };
    if let (Some(approved), Some(creator)) = (approved, creator) {
        let cx = mails::Context::for_user(&state.settings, &creator);
        let link = state.settings.site.link("/mes-structures");
        outbox::enqueue(
            &txn,
            mails::structure_approved(&cx, &creator.first_name, &approved.name, &link),
            now,
        )
        .await?;
    }
    let entry = AuditEntry {
        actor_user_id: Some(agent.id()),
        event: "structure.approved",
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({}),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Refuses and deletes a waiting structure for `reason` (checked), and
/// tells its creator why; *not found* when no structure with this id waits
/// for Support (approved or refused meanwhile).
pub async fn reject(
    state: &AppState,
    agent: &Agent,
    structure_id: i32,
    reason: &str,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let Some(waiting) = structure::Entity::find_by_id(structure_id)
        .filter(structure::Column::Status.eq(StructureStatus::AwaitingSupport))
        .one(&state.db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let creator = user::Entity::find_by_id(waiting.created_by)
        .one(&state.db)
        .await?;
    let txn = state.db.begin().await?;
    // The delete first and conditional: approved meanwhile, it stays.
    let deleted = structure::Entity::delete_many()
        .filter(structure::Column::Id.eq(structure_id))
        .filter(structure::Column::Status.eq(StructureStatus::AwaitingSupport))
        .exec(&txn)
        .await?;
    if deleted.rows_affected != 1 {
        txn.rollback().await?;
        return refuse(Refusal::NotFound);
    }
    if let Some(creator) = creator {
        let cx = mails::Context::for_user(&state.settings, &creator);
        let named = format!("{} ({})", waiting.name, waiting.identifier);
        let mail = mails::structure_rejected(&cx, &creator.first_name, &named, reason);
        outbox::enqueue(&txn, mail, now).await?;
    }
    let entry = AuditEntry {
        actor_user_id: Some(agent.id()),
        event: "structure.rejected",
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({
            "identifier": waiting.identifier,
            "name": waiting.name,
            "creator": waiting.created_by,
            "reason": reason,
        }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}
