//! Profile requests (rule H4): what a member asks for beyond what they hold,
//! decided by a manager of the structure (rule H5), listed in *Demandes à
//! traiter* for the managers and in *Historique de mes demandes* for the
//! member (rule S7). Their life is `domain::attachments::RequestStatus`'s:
//! a decision is a conditional `UPDATE … WHERE status = 'pending'`, the
//! first write of its transaction, so two managers deciding at once decide
//! once; an approval then sets the profile in the same transaction.

use super::{managed_structures, set_level, standing};
use crate::backend::attachments::primary_managers;
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::db::page_of;
use crate::backend::entities::attachment_request::Status;
use crate::backend::entities::{application, membership, profile_request, structure, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::attachments::{
    AttachmentRefusal, RequestEvent, RequestStatus, TransitionDenied,
};
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use std::collections::HashMap;

/// A request with what a page shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub request: profile_request::Model,
    pub structure: structure::Model,
    pub requester: user::Model,
    pub application: application::Model,
    /// The structure's primary manager (*Approbateur*, rule S7).
    pub approver: Option<user::Model>,
}

/// Records `level` on `application` as asked by the holder of `membership`,
/// replacing a pending request for the same application. Run it in the
/// caller's transaction.
pub async fn ask<C: ConnectionTrait>(
    conn: &C,
    membership: &membership::Model,
    application: &str,
    level: crate::domain::authorisations::Level,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    profile_request::Entity::delete_many()
        .filter(profile_request::Column::MembershipId.eq(membership.id))
        .filter(profile_request::Column::ApplicationCode.eq(application))
        .filter(profile_request::Column::Status.eq(Status::Pending))
        .exec(conn)
        .await?;
    profile_request::ActiveModel {
        membership_id: Set(membership.id),
        application_code: Set(application.to_owned()),
        level: Set(level.into()),
        status: Set(Status::Pending),
        decided_by: Set(None),
        created_at: Set(now),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The lines of these requests, oldest first.
async fn lines<C: ConnectionTrait>(
    conn: &C,
    requests: Vec<profile_request::Model>,
) -> Result<Vec<RequestLine>, DbErr> {
    let memberships: HashMap<i32, membership::Model> = membership::Entity::find()
        .filter(
            membership::Column::Id
                .is_in(requests.iter().map(|r| r.membership_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let structures: HashMap<i32, structure::Model> = structure::Entity::find()
        .filter(
            structure::Column::Id.is_in(
                memberships
                    .values()
                    .map(|m| m.structure_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let users: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(memberships.values().map(|m| m.user_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let approvers = primary_managers(conn, structures.keys().copied().collect()).await?;
    let applications: HashMap<String, application::Model> = application::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect();
    Ok(requests
        .into_iter()
        .filter_map(|request| {
            let membership = memberships.get(&request.membership_id)?;
            Some(RequestLine {
                approver: approvers.get(&membership.structure_id).cloned(),
                structure: structures.get(&membership.structure_id)?.clone(),
                requester: users.get(&membership.user_id)?.clone(),
                application: applications.get(&request.application_code)?.clone(),
                request,
            })
        })
        .collect())
}

/// A page of the pending requests of the structures `manager_id` manages,
/// oldest first, and how many there are.
pub async fn pending_for<C: ConnectionTrait>(
    conn: &C,
    manager_id: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<RequestLine>, u64), DbErr> {
    let managed = managed_structures(conn, manager_id).await?;
    let memberships: Vec<i32> = membership::Entity::find()
        .select_only()
        .column(membership::Column::Id)
        .filter(membership::Column::StructureId.is_in(managed))
        .into_tuple()
        .all(conn)
        .await?;
    let pending = profile_request::Entity::find()
        .filter(profile_request::Column::MembershipId.is_in(memberships))
        .filter(profile_request::Column::Status.eq(Status::Pending))
        .order_by_asc(profile_request::Column::Id);
    let (requests, total) = page_of(conn, pending, page, per_page).await?;
    Ok((lines(conn, requests).await?, total))
}

/// A page of the user's own requests, newest first, and how many there are.
pub async fn history_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<RequestLine>, u64), DbErr> {
    let memberships: Vec<i32> = membership::Entity::find()
        .select_only()
        .column(membership::Column::Id)
        .filter(membership::Column::UserId.eq(user_id))
        .into_tuple()
        .all(conn)
        .await?;
    let mine = profile_request::Entity::find()
        .filter(profile_request::Column::MembershipId.is_in(memberships))
        .order_by_desc(profile_request::Column::Id);
    let (requests, total) = page_of(conn, mine, page, per_page).await?;
    Ok((lines(conn, requests).await?, total))
}

/// *Approuver* or *Refuser* a profile request, by a manager of its
/// structure; an approval sets the profile.
pub async fn decide(
    state: &AppState,
    decider: &user::Model,
    request_id: i32,
    approve: bool,
    client_ip: &str,
) -> Outcome<RequestStatus> {
    let db = &state.db;
    let Some(request) = profile_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let Some(held) = membership::Entity::find_by_id(request.membership_id)
        .one(db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let standing = standing(db, decider.id, held.structure_id).await?;
    let event = if approve {
        RequestEvent::Approve
    } else {
        RequestEvent::Reject
    };
    let next = match RequestStatus::from(request.status).apply(event, standing, false) {
        Ok(next) => next,
        Err(TransitionDenied::NotAllowed) => return refuse(super::denial(standing)),
        Err(TransitionDenied::AlreadyClosed(status)) => {
            return refuse(AttachmentRefusal::Closed(status));
        }
    };
    let now = state.clock.now();
    let txn = db.begin().await?;
    let decided = profile_request::Entity::update_many()
        .col_expr(
            profile_request::Column::Status,
            Expr::value(Status::from(next)),
        )
        .col_expr(profile_request::Column::DecidedBy, Expr::value(decider.id))
        .col_expr(profile_request::Column::DecidedAt, Expr::value(now))
        .filter(profile_request::Column::Id.eq(request.id))
        .filter(profile_request::Column::Status.eq(Status::Pending))
        .exec(&txn)
        .await?;
    if decided.rows_affected == 0 {
        // Another manager decided first.
        let current = profile_request::Entity::find_by_id(request.id)
            .one(&txn)
            .await?
            .map_or(RequestStatus::Cancelled, |r| RequestStatus::from(r.status));
        return refuse(AttachmentRefusal::Closed(current));
    }
    if next == RequestStatus::Approved {
        let level = request.level.into();
        set_level(&txn, held.id, &request.application_code, Some(level), now).await?;
    }
    let entry = AuditEntry {
        actor_user_id: Some(decider.id),
        event: if approve {
            "profile_request.approved"
        } else {
            "profile_request.rejected"
        },
        subject: Subject::ProfileRequest(request.id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({
            "structure": held.structure_id,
            "user": held.user_id,
            "application": request.application_code,
        }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(next)
}
