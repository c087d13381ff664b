//! Attachment requests as services (rules S5–S8, H5, H6): finding a
//! structure, asking to join it or some of its services, the managers'
//! decision ([`approvals`]), and the requester's history, attachments and
//! detachment ([`mine`]).
//!
//! Every function takes the acting user and checks their standing on the
//! structure itself; what the domain allows (`domain::attachments`) is
//! asked there, never re-decided here. A refusal is an
//! [`AttachmentRefusal`] (or a plain *not allowed* / *not found*) in the
//! [`Outcome`]. Each change commits in one transaction with its e-mails
//! (outbox, rule R1) and its audit entry (R4).

pub mod approvals;
pub mod mine;

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations;
use crate::backend::entities::attachment_request::{self, Status};
use crate::backend::entities::membership::{self, Role};
use crate::backend::entities::structure::{self, StructureStatus};
use crate::backend::entities::{attachment_request_service, membership_service, service, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails;
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::backend::structures::search_key;
use crate::domain::attachments::{AttachmentRefusal, RequestStatus, ValidRequest};
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use std::collections::HashMap;

/// Matches counted at most: past this, the page asks for a longer search
/// (and offers no page beyond it).
pub const SEARCH_CAP: u64 = 1000;

/// One page of a search, and how many structures match (at most
/// [`SEARCH_CAP`]; `more` when there are more).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResult {
    pub rows: Vec<structure::Model>,
    pub total: u64,
    pub more: bool,
}

/// A page of the active structures whose identifier or *raison sociale*
/// starts with `query` (rule S5): identifier matches first, by identifier,
/// then name matches, by name.
///
/// Each half is one index range scan read in index order (see migration
/// 000007), and counts stop at [`SEARCH_CAP`], so a search costs about the
/// same on a million structures whether it matches ten or fifty thousand.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    query: &str,
    page: u64,
    per_page: u64,
) -> Result<SearchResult, DbErr> {
    let key = search_key(query);
    if key.is_empty() || per_page == 0 {
        return Ok(SearchResult::default());
    }
    let end = format!("{key}\u{10FFFF}");
    let starts_with = |column: structure::Column| {
        Condition::all()
            .add(column.gte(key.as_str()))
            .add(column.lt(end.as_str()))
    };
    let active =
        || structure::Entity::find().filter(structure::Column::Status.eq(StructureStatus::Active));
    let by_identifier = active()
        .filter(starts_with(structure::Column::IdentifierKey))
        .order_by_asc(structure::Column::IdentifierKey);
    let by_name = active()
        .filter(starts_with(structure::Column::NameKey))
        .filter(starts_with(structure::Column::IdentifierKey).not())
        .order_by_asc(structure::Column::NameKey)
        .order_by_asc(structure::Column::Id);
    let identifiers = capped_count(conn, by_identifier.clone()).await?;
    let names = capped_count(conn, by_name.clone()).await?;
    let offset = page.saturating_mul(per_page);
    let mut rows = Vec::new();
    if offset < identifiers {
        rows = by_identifier
            .offset(offset)
            .limit(per_page)
            .all(conn)
            .await?;
    }
    let missing = per_page.saturating_sub(rows.len() as u64);
    if missing > 0 {
        let from = offset.saturating_sub(identifiers);
        rows.extend(by_name.offset(from).limit(missing).all(conn).await?);
    }
    let more = identifiers + names > SEARCH_CAP;
    Ok(SearchResult {
        rows,
        total: (identifiers + names).min(SEARCH_CAP),
        more,
    })
}

/// How many rows `select` finds, counting no further than past the cap.
async fn capped_count<C: ConnectionTrait>(
    conn: &C,
    select: sea_orm::Select<structure::Entity>,
) -> Result<u64, DbErr> {
    let ids = select
        .select_only()
        .column(structure::Column::Id)
        .limit(SEARCH_CAP + 1)
        .into_tuple::<i32>()
        .all(conn)
        .await?;
    Ok(ids.len() as u64)
}

/// The active services of a structure that a requester may tick, by code.
/// Anyone logged in may see them: they are what the request form offers.
pub async fn requestable_services<C: ConnectionTrait>(
    conn: &C,
    structure_id: i32,
) -> Result<Vec<service::Model>, DbErr> {
    service::Entity::find()
        .filter(service::Column::StructureId.eq(structure_id))
        .filter(service::Column::Active.eq(true))
        .order_by_asc(service::Column::Code)
        .all(conn)
        .await
}

/// A request just recorded, and the structure it asks to join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    pub request: attachment_request::Model,
    pub structure: structure::Model,
}

/// *Soumettre* on *Demander un rattachement*: records the request and
/// e-mails every manager of the structure.
pub async fn request(
    state: &AppState,
    requester: &user::Model,
    structure_id: i32,
    form: &ValidRequest,
    client_ip: &str,
) -> Outcome<Requested> {
    let db = &state.db;
    let Some(target) = structure::Entity::find_by_id(structure_id).one(db).await? else {
        return refuse(Refusal::NotFound);
    };
    if target.status == StructureStatus::AwaitingSupport {
        return refuse(AttachmentRefusal::AwaitingSupport);
    }
    if let Some(current) = membership_of(db, requester.id, structure_id).await? {
        let held = services_of_membership(db, current.id).await?;
        let covered = held.is_empty()
            || (!form.services.is_empty() && form.services.iter().all(|s| held.contains(s)));
        if covered {
            return refuse(AttachmentRefusal::AlreadyAttached);
        }
    }
    let pending = attachment_request::Entity::find()
        .filter(attachment_request::Column::UserId.eq(requester.id))
        .filter(attachment_request::Column::StructureId.eq(structure_id))
        .filter(attachment_request::Column::Status.eq(Status::Pending))
        .count(db)
        .await?;
    if pending > 0 {
        return refuse(AttachmentRefusal::AlreadyPending);
    }
    let offered: Vec<i32> = requestable_services(db, structure_id)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    if form.services.iter().any(|s| !offered.contains(s)) {
        return refuse(AttachmentRefusal::ServiceUnknown);
    }
    let managers = managers_of(db, structure_id).await?;
    let now = state.clock.now();
    let txn = db.begin().await?;
    let created = attachment_request::ActiveModel {
        structure_id: Set(structure_id),
        user_id: Set(requester.id),
        comment: Set(form.comment.clone()),
        service_level: Set(!form.services.is_empty()),
        status: Set(Status::Pending),
        reason: Set(None),
        decided_by: Set(None),
        created_at: Set(now),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if !form.services.is_empty() {
        attachment_request_service::Entity::insert_many(form.services.iter().map(|&service_id| {
            attachment_request_service::ActiveModel {
                request_id: Set(created.id),
                service_id: Set(service_id),
            }
        }))
        .exec(&txn)
        .await?;
    }
    let link = state.settings.site.link("/demandes-de-rattachement");
    let requester_name = format!("{} {}", requester.first_name, requester.last_name);
    for manager in &managers {
        let cx = mails::Context::for_user(&state.settings, manager);
        let mail = mails::attachment_requested(
            &cx,
            &manager.first_name,
            &requester_name,
            &requester.login_email,
            &target.name,
            &form.comment,
            &link,
        );
        outbox::enqueue(&txn, mail, now).await?;
    }
    record(
        &txn,
        requester.id,
        "attachment.requested",
        created.id,
        structure_id,
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Requested {
        request: created,
        structure: target,
    })
}

/// The user's membership of a structure, if any.
async fn membership_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    structure_id: i32,
) -> Result<Option<membership::Model>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::StructureId.eq(structure_id))
        .one(conn)
        .await
}

/// The services a membership is narrowed to; empty: the whole structure.
async fn services_of_membership<C: ConnectionTrait>(
    conn: &C,
    membership_id: i32,
) -> Result<Vec<i32>, DbErr> {
    membership_service::Entity::find()
        .select_only()
        .column(membership_service::Column::ServiceId)
        .filter(membership_service::Column::MembershipId.eq(membership_id))
        .into_tuple::<i32>()
        .all(conn)
        .await
}

/// The users who manage the structure (rule H5).
async fn managers_of<C: ConnectionTrait>(
    conn: &C,
    structure_id: i32,
) -> Result<Vec<user::Model>, DbErr> {
    let ids = authorisations::managers_of(conn, structure_id).await?;
    user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await
}

/// The primary manager of each structure: the *Approbateur* (rule S7).
pub(crate) async fn primary_managers<C: ConnectionTrait>(
    conn: &C,
    structure_ids: Vec<i32>,
) -> Result<HashMap<i32, user::Model>, DbErr> {
    let roles = membership::Entity::find()
        .filter(membership::Column::StructureId.is_in(structure_ids))
        .filter(membership::Column::Role.eq(Role::PrimaryManager))
        .all(conn)
        .await?;
    let users = users_by_id(conn, roles.iter().map(|m| m.user_id).collect()).await?;
    Ok(roles
        .into_iter()
        .filter_map(|m| Some((m.structure_id, users.get(&m.user_id)?.clone())))
        .collect())
}

async fn users_by_id<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<i32>,
) -> Result<HashMap<i32, user::Model>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

async fn structures_by_id<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<i32>,
) -> Result<HashMap<i32, structure::Model>, DbErr> {
    Ok(structure::Entity::find()
        .filter(structure::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

/// The services chosen in each of `request_ids`, by code.
async fn services_of_requests<C: ConnectionTrait>(
    conn: &C,
    request_ids: Vec<i32>,
) -> Result<HashMap<i32, Vec<service::Model>>, DbErr> {
    let links = attachment_request_service::Entity::find()
        .filter(attachment_request_service::Column::RequestId.is_in(request_ids))
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
    let mut by_request: HashMap<i32, Vec<service::Model>> = HashMap::new();
    for link in links {
        if let Some(found) = services.get(&link.service_id) {
            by_request
                .entry(link.request_id)
                .or_default()
                .push(found.clone());
        }
    }
    for chosen in by_request.values_mut() {
        chosen.sort_by(|a, b| a.code.cmp(&b.code));
    }
    Ok(by_request)
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: i32,
    event: &str,
    request_id: i32,
    structure_id: i32,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let entry = AuditEntry {
        actor_user_id: Some(actor),
        event,
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "request": request_id }),
    };
    audit::record(conn, entry, now).await
}

impl From<Status> for RequestStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Pending => RequestStatus::Pending,
            Status::Approved => RequestStatus::Approved,
            Status::Rejected => RequestStatus::Rejected,
            Status::Cancelled => RequestStatus::Cancelled,
        }
    }
}

impl From<RequestStatus> for Status {
    fn from(status: RequestStatus) -> Self {
        match status {
            RequestStatus::Pending => Status::Pending,
            RequestStatus::Approved => Status::Approved,
            RequestStatus::Rejected => Status::Rejected,
            RequestStatus::Cancelled => Status::Cancelled,
        }
    }
}
