//! Server functions of Support's back office (rules S10, U2): the
//! structures of public entities waiting for Support, their approval or
//! refusal, and the accounts Support deactivates or reactivates.
//! The backend checks, on every call, that the caller is Support.

use super::attachments::Page;
use crate::domain::support::AccountState;
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

/// Support refuses a waiting structure for `reason`: it is deleted and its
/// creator told why.
#[server(endpoint = "reject-structure")]
pub async fn reject_structure(structure_id: i32, reason: String) -> Result<(), AppError> {
    use super::session::{client_ip, support_agent};
    use crate::backend::app_state;
    use crate::backend::structures::support;
    use crate::domain::support::check_reason;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let reason = check_reason(&reason).map_err(AppError::Reason)?;
    Ok(support::reject(&state, &agent, structure_id, &reason, &client_ip()).await?)
}

/// An account as Support's account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOnFile {
    pub id: i32,
    pub name: String,
    pub login_email: String,
    pub contact_email: String,
    pub state: AccountState,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// The account whose login address is `address` (Support only).
#[server(endpoint = "support-account")]
pub async fn support_account(address: String) -> Result<AccountOnFile, AppError> {
    use super::session::support_agent;
    use crate::backend::accounts::suspension;
    use crate::backend::app_state;
    use crate::domain::support::account_lookup;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let address = account_lookup(&address).ok_or_else(|| AppError::invalid("address"))?;
    let user = suspension::find(&state, &agent, &address).await?;
    Ok(AccountOnFile {
        id: user.id,
        name: format!("{} {}", user.first_name, user.last_name),
        login_email: user.login_email,
        contact_email: user.contact_email,
        state: suspension::state_of(user.status),
        created_at: user.created_at,
        last_login_at: user.last_login_at,
    })
}

/// Support deactivates (`active`: false) or reactivates an account, for
/// `reason`, told to the account's owner.
#[server(endpoint = "set-account-active")]
pub async fn set_account_active(
    user_id: i32,
    active: bool,
    reason: String,
) -> Result<(), AppError> {
    use super::session::{client_ip, support_agent};
    use crate::backend::accounts::suspension;
    use crate::backend::app_state;
    use crate::domain::support::check_reason;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let reason = check_reason(&reason).map_err(AppError::Reason)?;
    let ip = client_ip();
    if active {
        suspension::restore(&state, &agent, user_id, &reason, &ip).await?;
    } else {
        suspension::suspend(&state, &agent, user_id, &reason, &ip).await?;
    }
    Ok(())
}
