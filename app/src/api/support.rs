//! Server functions of Support's back office (rules S10, U2): the
//! structures of public entities waiting for Support, and their approval.
//! The backend checks, on every call, that the caller is Support.

use super::attachments::Page;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A structure waiting for Support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwaitingRow {
    pub id: i32,
    pub identifier: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub creator: String,
}

/// A page of the structures waiting for Support (Support only).
#[server(endpoint = "awaiting-structures")]
pub async fn awaiting_structures(page: u64) -> Result<Page<AwaitingRow>, AppError> {
    use super::session::support_agent;
    use crate::backend::app_state;
    use crate::backend::structures::support;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let page = page.min(100_000);
    let (lines, total) =
        support::awaiting(&state, &agent, page, super::attachments::PER_PAGE).await?;
    let rows = lines
        .into_iter()
        .map(|line| AwaitingRow {
            id: line.structure.id,
            identifier: line.structure.identifier,
            name: line.structure.name,
            created_at: line.structure.created_at,
            creator: line
                .creator
                .map(|u| format!("{} {} ({})", u.first_name, u.last_name, u.login_email))
                .unwrap_or_default(),
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: super::attachments::PER_PAGE,
    })
}

/// Support makes a waiting structure active.
#[server(endpoint = "approve-structure")]
pub async fn approve_structure(structure_id: i32) -> Result<(), AppError> {
    use super::session::{client_ip, support_agent};
    use crate::backend::app_state;
    use crate::backend::structures::support;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    Ok(support::approve(&state, &agent, structure_id, &client_ip()).await?)
}
