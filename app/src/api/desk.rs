//! Server functions of Support's ticket desk (rule U2): the queue, a ticket,
//! a reply, *Clore* and *Rouvrir*. Each makes the caller a checked Support
//! agent first (`session::support_agent`), then hands over to
//! `backend::tickets::desk`.

use super::attachments::Page;
use crate::domain::tickets::{Situation, SupportAct, TicketStatus};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    pub id: i32,
    pub number: String,
    pub situation: Situation,
    pub status: TicketStatus,
    pub reply_email: String,
    pub created_at: DateTime<Utc>,
}

/// A reply in a ticket's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMessage {
    /// The agent's name (empty once their account is gone).
    pub author: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// A ticket as Support reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetails {
    pub id: i32,
    pub number: String,
    pub situation: Situation,
    pub status: TicketStatus,
    pub reply_email: String,
    pub login_address: Option<String>,
    pub description: String,
    /// The sender's account when they were logged in: name and login address.
    pub sender: Option<String>,
    /// The account whose login address Support may change from this ticket
    /// (the unblocking procedure): name and login address.
    pub account: Option<String>,
    pub created_at: DateTime<Utc>,
    pub thread: Vec<ThreadMessage>,
}

/// A page of the queue. `status` and `situation` are codes (empty: any).
#[server(endpoint = "support-tickets")]
pub async fn support_tickets(
    status: String,
    situation: String,
    search: String,
    page: u64,
) -> Result<Page<TicketRow>, AppError> {
    use super::session::support_agent;
    use crate::backend::app_state;
    use crate::backend::tickets::desk;
    use crate::domain::support::{QUEUE_PER_PAGE, TicketQuery};
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let query = TicketQuery::parse(&status, &situation, &search)
        .ok_or_else(|| AppError::invalid("filter"))?;
    let page = page.min(100_000);
    let (tickets, total) = desk::queue(&state, &agent, &query, page, QUEUE_PER_PAGE).await?;
    let rows = tickets
        .into_iter()
        .filter_map(|t| {
            Some(TicketRow {
                number: crate::domain::tickets::ticket_number(t.id),
                id: t.id,
                situation: Situation::from_code(&t.situation)?,
                status: TicketStatus::from_code(&t.status)?,
                reply_email: t.reply_email,
                created_at: t.created_at,
            })
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: QUEUE_PER_PAGE,
    })
}

/// Ticket `id`, with its thread.
#[server(endpoint = "support-ticket")]
pub async fn support_ticket(id: i32) -> Result<TicketDetails, AppError> {
    use super::session::support_agent;
    use crate::backend::app_state;
    use crate::backend::tickets::{desk, unblock};
    use crate::domain::tickets::ticket_number;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let file = desk::open(&state, &agent, id).await?;
    let account = unblock::account_of(&state, &agent, &file.ticket).await?;
    let name = |u: &crate::backend::entities::user::Model| {
        format!("{} {} ({})", u.first_name, u.last_name, u.login_email)
    };
    let ticket = file.ticket;
    let (Some(situation), Some(status)) = (
        Situation::from_code(&ticket.situation),
        TicketStatus::from_code(&ticket.status),
    ) else {
        return Err(AppError::NotFound);
    };
    Ok(TicketDetails {
        id: ticket.id,
        number: ticket_number(ticket.id),
        situation,
        status,
        reply_email: ticket.reply_email,
        login_address: ticket.login_address,
        description: ticket.description,
        sender: file.sender.as_ref().map(name),
        account: account.as_ref().map(name),
        created_at: ticket.created_at,
        thread: file
            .thread
            .into_iter()
            .map(|(message, author)| ThreadMessage {
                author: author.as_ref().map(name).unwrap_or_default(),
                body: message.body,
                at: message.created_at,
            })
            .collect(),
    })
}

/// *Envoyer la réponse*: e-mailed to the ticket's address, kept in its thread.
#[server(endpoint = "reply-ticket")]
pub async fn reply_ticket(id: i32, reply: String) -> Result<(), AppError> {
    use super::session::{client_ip, support_agent};
    use crate::backend::app_state;
    use crate::backend::tickets::desk;
    use crate::domain::support::check_reply;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let reply = check_reply(&reply).map_err(AppError::Reply)?;
    Ok(desk::reply(&state, &agent, id, &reply, &client_ip()).await?)
}

/// *Clore le ticket* or *Rouvrir le ticket*.
#[server(endpoint = "move-ticket")]
pub async fn move_ticket(id: i32, act: SupportAct) -> Result<(), AppError> {
    use super::session::{client_ip, support_agent};
    use crate::backend::app_state;
    use crate::backend::tickets::desk;
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    if act == SupportAct::Reply {
        return Err(AppError::invalid("act"));
    }
    Ok(desk::set_status(&state, &agent, id, act, &client_ip()).await?)
}

/// The unblocking procedure: a link to `new_address` that will make it the
/// login address of the account the ticket is about (its current address
/// is told at once).
#[server(endpoint = "unblock-account")]
pub async fn unblock_account(id: i32, new_address: String) -> Result<(), AppError> {
    use super::session::{client_ip, support_agent};
    use crate::backend::app_state;
    use crate::backend::tickets::unblock;
    use crate::domain::address_change::{AddressFormError, check_new_address};
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    // Typed once by Support: its confirmation is the link itself.
    let new_address = match check_new_address("", &new_address, &new_address) {
        Ok(checked) => checked,
        Err(AddressFormError::Fields(problems)) => return Err(AppError::Fields(problems)),
        Err(AddressFormError::Refused(refusal)) => return Err(AppError::AddressChange(refusal)),
    };
    unblock::change_login_address(&state, &agent, id, &new_address, &client_ip()).await?;
    Ok(())
}
