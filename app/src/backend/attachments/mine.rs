//! The requester's side (rules S7, S8): *Historique de mes demandes*, *Mes
//! rattachements* and *Me détacher*. Every query is filtered by the caller's
//! own id, so nobody reads or changes another user's requests or
//! attachments.

use super::{
    membership_of, primary_managers, services_of_membership, services_of_requests,
    structures_by_id, users_by_id,
};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations;
use crate::backend::db::page_of;
use crate::backend::entities::membership::{self, Role};
use crate::backend::entities::{attachment_request, membership_service, service, structure, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::attachments::{AttachmentRefusal, RequestEvent, Standing};
use crate::domain::refusal::Refusal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use std::collections::HashMap;

/// One line of *Historique de mes demandes*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub request: attachment_request::Model,
    pub structure: structure::Model,
    /// Empty: the whole structure.
    pub services: Vec<service::Model>,
    /// The structure's primary manager, the *Approbateur*.
    pub approver: Option<user::Model>,
    /// Who decided, when decided.
    pub decided_by: Option<user::Model>,
}

/// A page of the user's requests, newest first, and how many there are.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<HistoryLine>, u64), DbErr> {
    let mine = attachment_request::Entity::find()
        .filter(attachment_request::Column::UserId.eq(user_id))
        .order_by_desc(attachment_request::Column::Id);
    let (requests, total) = page_of(conn, mine, page, per_page).await?;
    let structure_ids: Vec<i32> = requests.iter().map(|r| r.structure_id).collect();
    let structures = structures_by_id(conn, structure_ids.clone()).await?;
    let approvers = primary_managers(conn, structure_ids).await?;
    let deciders =
        users_by_id(conn, requests.iter().filter_map(|r| r.decided_by).collect()).await?;
    let mut services = services_of_requests(conn, requests.iter().map(|r| r.id).collect()).await?;
    let lines = requests
        .into_iter()
        .filter_map(|request| {
            Some(HistoryLine {
                structure: structures.get(&request.structure_id)?.clone(),
                services: services.remove(&request.id).unwrap_or_default(),
                approver: approvers.get(&request.structure_id).cloned(),
                decided_by: request.decided_by.and_then(|id| deciders.get(&id).cloned()),
                request,
            })
        })
        .collect();
    Ok((lines, total))
}

/// One line of *Mes rattachements*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentLine {
    pub membership_id: i32,
    pub structure: structure::Model,
    pub standing: Standing,
    /// The services the attachment is narrowed to; empty: the whole
    /// structure.
    pub services: Vec<service::Model>,
}

/// A page of the user's attachments, newest first, and how many there are.
pub async fn attachments<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<AttachmentLine>, u64), DbErr> {
    let mine = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .order_by_desc(membership::Column::Id);
    let (memberships, total) = page_of(conn, mine, page, per_page).await?;
    let standings = authorisations::standings(conn, &memberships).await?;
    let structures =
        structures_by_id(conn, memberships.iter().map(|m| m.structure_id).collect()).await?;
    let links = membership_service::Entity::find()
        .filter(
            membership_service::Column::MembershipId
                .is_in(memberships.iter().map(|m| m.id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?;
    let services: HashMap<i32, service::Model> = service::Entity::find()
        .filter(service::Column::Id.is_in(links.iter().map(|l| l.service_id).collect::<Vec<_>>()))
        .order_by_asc(service::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let lines = memberships
        .into_iter()
        .filter_map(|m| {
            let mut narrowed: Vec<service::Model> = links
                .iter()
                .filter(|l| l.membership_id == m.id)
                .filter_map(|l| services.get(&l.service_id).cloned())
                .collect();
            narrowed.sort_by(|a, b| a.code.cmp(&b.code));
            Some(AttachmentLine {
                membership_id: m.id,
                structure: structures.get(&m.structure_id)?.clone(),
                standing: standings.get(&m.id).copied().unwrap_or(Standing::Member),
                services: narrowed,
            })
        })
        .collect();
    Ok((lines, total))
}

/// What *Me détacher* removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detached {
    /// The user is no longer attached to the structure at all.
    Structure,
    /// Only the chosen services; the attachment to the others remains.
    Services,
}

/// *Me détacher*: from the whole structure (`services` empty) or from some
/// services of a service-level attachment. Leaving the last service leaves
/// the structure. The primary manager may not leave (rule M3).
pub async fn detach(
    state: &AppState,
    me: &user::Model,
    structure_id: i32,
    services: &[i32],
    client_ip: &str,
) -> Outcome<Detached> {
    let db = &state.db;
    let Some(current) = membership_of(db, me.id, structure_id).await? else {
        return refuse(Refusal::NotFound);
    };
    // The role, not the standing: a suspended member may still leave.
    if current.role == Role::PrimaryManager {
        return refuse(AttachmentRefusal::PrimaryManager);
    }
    let held = services_of_membership(db, current.id).await?;
    let leave_all = services.is_empty() || held.iter().all(|s| services.contains(s));
    if !services.is_empty() {
        if held.is_empty() {
            return refuse(AttachmentRefusal::NotServiceLevel);
        }
        if services.iter().any(|s| !held.contains(s)) {
            return refuse(AttachmentRefusal::ServiceUnknown);
        }
    }
    let now = state.clock.now();
    let txn = db.begin().await?;
    let outcome = if leave_all {
        current.delete(&txn).await?;
        Detached::Structure
    } else {
        membership_service::Entity::delete_many()
            .filter(membership_service::Column::MembershipId.eq(current.id))
            .filter(membership_service::Column::ServiceId.is_in(services.to_vec()))
            .exec(&txn)
            .await?;
        Detached::Services
    };
    let entry = AuditEntry {
        actor_user_id: Some(me.id),
        event: "attachment.detached",
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "services": services, "whole": leave_all }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Cancels one of the user's pending requests (its author only).
pub async fn cancel(
    state: &AppState,
    me: &user::Model,
    request_id: i32,
    client_ip: &str,
) -> Outcome<()> {
    let owned = attachment_request::Entity::find_by_id(request_id)
        .filter(attachment_request::Column::UserId.eq(me.id))
        .one(&state.db)
        .await?;
    if owned.is_none() {
        return refuse(Refusal::NotFound);
    }
    super::approvals::decide(state, me, request_id, RequestEvent::Cancel, None, client_ip)
        .await
        .map(drop)
}
