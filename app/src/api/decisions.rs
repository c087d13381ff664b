//! Server functions of the deciding side (rules S6, S10, H5, H6): managers'
//! pending attachment requests and their decision; Support's approval of
//! public entities' structures. The backend checks, on every call, that
//! the caller manages the request's structure or is Support.

use super::attachments::Page;
use chrono::{DateTime, Utc};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A pending request, as a manager sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRow {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub structure: String,
    pub identifier: String,
    pub requester: String,
    pub requester_login: String,
    pub comment: String,
    /// Codes of the chosen services; empty: the whole structure.
    pub services: Vec<String>,
}

/// A structure waiting for Support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwaitingRow {
    pub id: i32,
    pub identifier: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub creator: String,
}

/// A page of the pending requests of the structures the caller manages.
#[server(endpoint = "pending-requests")]
pub async fn pending_requests(page: u64) -> Result<Page<PendingRow>, AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::attachments::decide;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = decide::pending_for(&state.db, me.user.id, page, super::attachments::PER_PAGE).await.map_err(internal)?;
    let rows = lines
        .into_iter()
        .map(|line| PendingRow {
            id: line.request.id,
            created_at: line.request.created_at,
            structure: line.structure.name,
            identifier: line.structure.identifier,
            requester: format!("{} {}", line.requester.first_name, line.requester.last_name),
            requester_login: line.requester.login_email,
            comment: line.request.comment,
            services: line.services.into_iter().map(|s| s.code).collect(),
        })
        .collect();
    Ok(Page { rows, total, page, per_page: super::attachments::PER_PAGE })
}

/// *Approuver* (`approve`) or *Refuser* a request, with an optional reason.
#[server(endpoint = "decide-request")]
pub async fn decide_request(request_id: i32, approve: bool, reason: String) -> Result<(), AppError> {
    use super::attachments::denied;
    use super::request::{client_ip, internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::attachments::decide;
    use crate::domain::attachments::{RequestEvent, RequestProblem, check_reason};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let reason = check_reason(&reason).map_err(|p| AppError::RequestForm(RequestProblem::Comment(p)))?;
    let event = if approve { RequestEvent::Approve } else { RequestEvent::Reject };
    decide::decide(&state, &me.user, request_id, event, reason, &client_ip())
        .await
        .map_err(internal)?
        .map(drop)
        .map_err(denied)
}

#[cfg(feature = "ssr")]
fn support_denied(denied: crate::backend::structures::support::SupportDenied) -> AppError {
    use crate::backend::structures::support::SupportDenied;
    match denied {
        SupportDenied::NotSupport => AppError::NotAllowed,
        SupportDenied::NotFound => AppError::NotFound,
    }
}

/// A page of the structures waiting for Support (Support only).
#[server(endpoint = "awaiting-structures")]
pub async fn awaiting_structures(page: u64) -> Result<Page<AwaitingRow>, AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::support;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) =
        support::awaiting(&state, &me.user, page, super::attachments::PER_PAGE).await.map_err(internal)?.map_err(support_denied)?;
    let rows = lines
        .into_iter()
        .map(|line| AwaitingRow {
            id: line.structure.id,
            identifier: line.structure.identifier,
            name: line.structure.name,
            created_at: line.structure.created_at,
            creator: line.creator.map(|u| format!("{} {} ({})", u.first_name, u.last_name, u.login_email)).unwrap_or_default(),
        })
        .collect();
    Ok(Page { rows, total, page, per_page: super::attachments::PER_PAGE })
}

/// Support makes a waiting structure active.
#[server(endpoint = "approve-structure")]
pub async fn approve_structure(structure_id: i32) -> Result<(), AppError> {
    use super::request::{client_ip, internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::support;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    support::approve(&state, &me.user, structure_id, &client_ip()).await.map_err(internal)?.map_err(support_denied)
}
