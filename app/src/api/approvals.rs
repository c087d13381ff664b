//! Server functions of the approval of attachment requests (rules S6, H5,
//! H6): the managers' pending requests and their decision. The backend
//! checks, on every call, that the caller manages the request's structure.

use super::attachments::Page;
use crate::error::AppError;
use chrono::{DateTime, Utc};
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

/// A page of the pending requests of the structures the caller manages.
#[server(endpoint = "pending-requests")]
pub async fn pending_requests(page: u64) -> Result<Page<PendingRow>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::attachments::approvals;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) =
        approvals::pending_for(&state.db, me.user.id, page, super::attachments::PER_PAGE).await?;
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
    Ok(Page {
        rows,
        total,
        page,
        per_page: super::attachments::PER_PAGE,
    })
}

/// *Approuver* (`approve`) or *Refuser* a request, with an optional reason.
#[server(endpoint = "decide-request")]
pub async fn decide_request(
    request_id: i32,
    approve: bool,
    reason: String,
) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::attachments::approvals;
    use crate::domain::attachments::{RequestEvent, RequestProblem, check_reason};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let reason = check_reason(&reason).map_err(RequestProblem::Comment)?;
    let event = if approve {
        RequestEvent::Approve
    } else {
        RequestEvent::Reject
    };
    approvals::decide(&state, &me.user, request_id, event, reason, &client_ip()).await?;
    Ok(())
}
