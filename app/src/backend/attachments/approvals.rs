//! The managers' side of attachment requests (rule S6): the pending
//! requests of the structures they manage, and the decision.
//!
//! A decision is a conditional UPDATE (`… WHERE status = 'pending'`) and the
//! first statement of its transaction: of two managers approving the same
//! request at once, one changes the row and attaches the requester, the
//! other finds it already decided. The attachment follows the request: the
//! whole structure, or its services added to a service-level membership.

use super::{
    membership_of, record, services_of_membership, services_of_requests, structures_by_id,
    users_by_id,
};
use crate::backend::authorisations::{self, denial, standing};
use crate::backend::db::page_of;
use crate::backend::entities::attachment_request::{self, Status};
use crate::backend::entities::{
    attachment_request_service, membership_service, service, structure, user,
};
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails;
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::domain::attachments::{
    AttachmentRefusal, RequestEvent, RequestStatus, TransitionDenied,
};
use crate::domain::authorisations::Origin;
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

/// A pending request, with what a manager needs to decide it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLine {
    pub request: attachment_request::Model,
    pub structure: structure::Model,
    pub requester: user::Model,
    /// Empty: the whole structure.
    pub services: Vec<service::Model>,
}

/// A page of the pending requests of the structures `manager_id` manages,
/// oldest first, and how many there are.
pub async fn pending_for<C: ConnectionTrait>(
    conn: &C,
    manager_id: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<PendingLine>, u64), DbErr> {
    let managed = authorisations::managed_structures(conn, manager_id).await?;
    let pending = attachment_request::Entity::find()
        .filter(attachment_request::Column::StructureId.is_in(managed))
        .filter(attachment_request::Column::Status.eq(Status::Pending))
        .order_by_asc(attachment_request::Column::Id);
    let (requests, total) = page_of(conn, pending, page, per_page).await?;
    let structures =
        structures_by_id(conn, requests.iter().map(|r| r.structure_id).collect()).await?;
    let users = users_by_id(conn, requests.iter().map(|r| r.user_id).collect()).await?;
    let mut services = services_of_requests(conn, requests.iter().map(|r| r.id).collect()).await?;
    let lines = requests
        .into_iter()
        .filter_map(|request| {
            Some(PendingLine {
                structure: structures.get(&request.structure_id)?.clone(),
                requester: users.get(&request.user_id)?.clone(),
                services: services.remove(&request.id).unwrap_or_default(),
                request,
            })
        })
        .collect();
    Ok((lines, total))
}

/// Approves or rejects a request (a manager, with an optional reason; the
/// requester is e-mailed), or cancels it (its author).
pub async fn decide(
    state: &AppState,
    decider: &user::Model,
    request_id: i32,
    event: RequestEvent,
    reason: Option<String>,
    client_ip: &str,
) -> Outcome<RequestStatus> {
    let db = &state.db;
    let Some(request) = attachment_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let standing = standing(db, decider.id, request.structure_id).await?;
    let is_author = request.user_id == decider.id;
    let next = match RequestStatus::from(request.status).apply(event, standing, is_author) {
        Ok(next) => next,
        Err(TransitionDenied::NotAllowed) => return refuse(denial(standing)),
        Err(TransitionDenied::AlreadyClosed(status)) => {
            return refuse(AttachmentRefusal::Closed(status));
        }
    };
    let now = state.clock.now();
    let txn = db.begin().await?;
    let changed = attachment_request::Entity::update_many()
        .col_expr(
            attachment_request::Column::Status,
            Expr::value(Status::from(next)),
        )
        .col_expr(
            attachment_request::Column::DecidedBy,
            Expr::value(decider.id),
        )
        .col_expr(attachment_request::Column::DecidedAt, Expr::value(now))
        .col_expr(
            attachment_request::Column::Reason,
            Expr::value(reason.clone()),
        )
        .filter(attachment_request::Column::Id.eq(request.id))
        .filter(attachment_request::Column::Status.eq(Status::Pending))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        txn.rollback().await?;
        let now_status = attachment_request::Entity::find_by_id(request.id)
            .one(db)
            .await?
            .map(|r| r.status);
        return refuse(AttachmentRefusal::Closed(
            now_status.map_or(RequestStatus::Cancelled, RequestStatus::from),
        ));
    }
    if next == RequestStatus::Approved {
        attach(&txn, &request, now).await?;
    }
    let target = structure::Entity::find_by_id(request.structure_id)
        .one(&txn)
        .await?;
    let requester = user::Entity::find_by_id(request.user_id).one(&txn).await?;
    if let (Some(target), Some(requester), false) =
        (target, requester, next == RequestStatus::Cancelled)
    {
        let cx = mails::Context::for_user(&state.settings, &requester);
        let approved = next == RequestStatus::Approved;
        let link = state.settings.site.link("/historique-de-mes-demandes");
        let mail = mails::attachment_decided(
            &cx,
            &requester.first_name,
            &target.name,
            approved,
            reason.as_deref(),
            &link,
        );
        outbox::enqueue(&txn, mail, now).await?;
    }
    let event_name = match next {
        RequestStatus::Approved => "attachment.approved",
        RequestStatus::Rejected => "attachment.rejected",
        _ => "attachment.cancelled",
    };
    record(
        &txn,
        decider.id,
        event_name,
        request.id,
        request.structure_id,
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Attaches the requester as the request asks: a new membership (narrowed
/// to the chosen services), or an existing one widened.
async fn attach(
    txn: &DatabaseTransaction,
    request: &attachment_request::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let chosen: Vec<i32> = attachment_request_service::Entity::find()
        .filter(attachment_request_service::Column::RequestId.eq(request.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.service_id)
        .collect();
    let (membership, held) = match membership_of(txn, request.user_id, request.structure_id).await?
    {
        Some(existing) => {
            let held = services_of_membership(txn, existing.id).await?;
            (existing, Some(held))
        }
        None => {
            let created = authorisations::attach(
                txn,
                request.structure_id,
                request.user_id,
                Origin::Attached,
                now,
            )
            .await?;
            (created, None)
        }
    };
    match held {
        // Already attached to the whole structure: nothing to add.
        Some(held) if held.is_empty() => Ok(()),
        // A whole-structure request widens a service-level membership.
        Some(_) if !request.service_level => {
            membership_service::Entity::delete_many()
                .filter(membership_service::Column::MembershipId.eq(membership.id))
                .exec(txn)
                .await?;
            Ok(())
        }
        held => {
            let held = held.unwrap_or_default();
            let new: Vec<_> = chosen
                .into_iter()
                .filter(|s| !held.contains(s))
                .map(|service_id| membership_service::ActiveModel {
                    membership_id: Set(membership.id),
                    service_id: Set(service_id),
                })
                .collect();
            if !new.is_empty() {
                membership_service::Entity::insert_many(new)
                    .exec(txn)
                    .await?;
            }
            Ok(())
        }
    }
}
