//! Server functions of the requester's side of attachments (rules S5, S7,
//! S8): finding a structure, *Demander un rattachement*, *Historique de mes
//! demandes*, *Mes rattachements* and *Me détacher*. Each needs a logged-in
//! user and reads or changes only that user's own requests and
//! attachments; the rules are the domain's, the checks the backend's.

use crate::domain::attachments::{RequestStatus, Standing};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Lines per page of the lists of this module.
pub const PER_PAGE: u64 = 10;

/// A page of some list, from 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// A structure found by the search of *Demander un rattachement*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundStructure {
    pub id: i32,
    pub identifier: String,
    pub name: String,
    pub city: Option<String>,
}

/// A page of the search, and whether more structures match than are
/// counted (the page then asks for a longer search).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureSearch {
    pub found: Page<FoundStructure>,
    pub more: bool,
}

/// A service, as a checkbox or a list item shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceChoice {
    pub id: i32,
    pub code: String,
    pub label: String,
}

/// One line of *Historique de mes demandes*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub structure: String,
    pub identifier: String,
    /// Empty: the whole structure.
    pub services: Vec<String>,
    pub status: RequestStatus,
    /// The structure's primary manager (*Approbateur*).
    pub approver: Option<String>,
    pub reason: Option<String>,
}

/// One line of *Mes rattachements*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRow {
    pub structure_id: i32,
    pub identifier: String,
    pub name: String,
    pub standing: Standing,
    /// Empty: the whole structure.
    pub services: Vec<ServiceChoice>,
}

/// Structures whose identifier or *raison sociale* starts with `query`.
#[server(endpoint = "structure-search")]
pub async fn search_structures(query: String, page: u64) -> Result<StructureSearch, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::attachments::{self, SEARCH_CAP};
    use crate::domain::attachments::check_search;
    let state = app_state()?;
    logged_in(&state).await?;
    let empty = Page {
        rows: Vec::new(),
        total: 0,
        page: 0,
        per_page: PER_PAGE,
    };
    let Some(query) = check_search(&query).map_err(|_| AppError::invalid("query"))? else {
        return Ok(StructureSearch {
            found: empty,
            more: false,
        });
    };
    let page = page.min(SEARCH_CAP / PER_PAGE);
    let result = attachments::search(&state.db, query, page, PER_PAGE).await?;
    let rows = result
        .rows
        .into_iter()
        .map(|s| FoundStructure {
            id: s.id,
            identifier: s.identifier,
            name: s.name,
            city: s.city,
        })
        .collect();
    Ok(StructureSearch {
        found: Page {
            rows,
            total: result.total,
            page,
            per_page: PER_PAGE,
        },
        more: result.more,
    })
}

/// The active services a requester may tick for a structure.
#[server(endpoint = "request-services")]
pub async fn requestable_services(structure_id: i32) -> Result<Vec<ServiceChoice>, AppError> {
    use super::session::logged_in;
    use crate::backend::{app_state, attachments};
    let state = app_state()?;
    logged_in(&state).await?;
    let services = attachments::requestable_services(&state.db, structure_id).await?;
    Ok(services
        .into_iter()
        .map(|s| ServiceChoice {
            id: s.id,
            code: s.code,
            label: s.label,
        })
        .collect())
}

/// *Soumettre* on *Demander un rattachement*; answers the structure's name.
#[server(endpoint = "request-attachment")]
pub async fn request_attachment(
    structure_id: i32,
    comment: String,
    #[server(default)] service_level: bool,
    #[server(default)] services: Vec<i32>,
) -> Result<String, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::{app_state, attachments};
    use crate::domain::attachments::check_request;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let form = check_request(&comment, service_level, &services)?;
    let requested =
        attachments::request(&state, &me.user, structure_id, &form, &client_ip()).await?;
    Ok(requested.structure.name)
}

/// A page of *Historique de mes demandes*, newest first.
#[server(endpoint = "request-history")]
pub async fn request_history(page: u64) -> Result<Page<HistoryRow>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::attachments::mine;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = mine::history(&state.db, me.user.id, page, PER_PAGE).await?;
    let rows = lines
        .into_iter()
        .map(|line| HistoryRow {
            id: line.request.id,
            created_at: line.request.created_at,
            structure: line.structure.name,
            identifier: line.structure.identifier,
            services: line.services.into_iter().map(|s| s.code).collect(),
            status: line.request.status.into(),
            approver: line
                .approver
                .map(|u| format!("{} {}", u.first_name, u.last_name)),
            reason: line.request.reason,
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Cancels one of the caller's pending requests.
#[server(endpoint = "request-cancel")]
pub async fn cancel_request(request_id: i32) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::attachments::mine;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(mine::cancel(&state, &me.user, request_id, &client_ip()).await?)
}

/// A page of *Mes rattachements*.
#[server(endpoint = "my-attachments")]
pub async fn my_attachments(page: u64) -> Result<Page<AttachmentRow>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::attachments::mine;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = mine::attachments(&state.db, me.user.id, page, PER_PAGE).await?;
    let rows = lines
        .into_iter()
        .map(|line| AttachmentRow {
            structure_id: line.structure.id,
            identifier: line.structure.identifier,
            name: line.structure.name,
            standing: line.standing,
            services: line
                .services
                .into_iter()
                .map(|s| ServiceChoice {
                    id: s.id,
                    code: s.code,
                    label: s.label,
                })
                .collect(),
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// *Me détacher*: from the whole structure (`services` empty) or from the
/// chosen services. Answers whether the user left the structure entirely.
/// (`#[server(default)]`: an empty list is absent from the encoded form.)
#[server(endpoint = "detach")]
pub async fn detach_me(
    structure_id: i32,
    #[server(default)] services: Vec<i32>,
) -> Result<bool, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::attachments::mine::{self, Detached};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let outcome = mine::detach(&state, &me.user, structure_id, &services, &client_ip()).await?;
    Ok(outcome == Detached::Structure)
}
