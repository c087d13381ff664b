//! The unblocking procedure of seed 000 (rule U2): a user whose login
//! address no longer receives mail cannot get a code or a reset link, and
//! can only write to Support. From their ticket, Support sends a link to a
//! new login address; the account changes when that link is used, through
//! the same confirmation as the user's own *Changer mon adresse de
//! connexion* (`accounts::address`): both addresses are told, every
//! session of the account ends, live links are retired.
//!
//! What keeps Support from taking an account by typing an address it
//! controls: the change needs the link sent to the new address, the
//! current login address is told at once (with the ticket's number) and
//! again when the change is made, and the request is audited with the
//! agent and the ticket's number.

use crate::backend::accounts::address::{self, Origin};
use crate::backend::entities::support_ticket;
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::backend::support::Agent;
use crate::domain::address_change::{AddressChangeRefusal, AddressKind};
use crate::domain::refusal::Refusal;
use crate::domain::support::unblocking_target;
use crate::domain::tickets::{Situation, TicketRefusal, TicketStatus};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The account a ticket is about, for Support's page: `None` when the
/// ticket does not allow the procedure or no active account has its login
/// address.
pub async fn account_of(
    state: &AppState,
    _agent: &Agent,
    ticket: &support_ticket::Model,
) -> Outcome<Option<user::Model>> {
    match target(state, ticket).await {
        Ok(owner) => Ok(Some(owner)),
        Err(error) if error.refusal().is_some() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Sends the link that makes `new_address` (checked and normalised by the
/// caller) the login address of the account ticket `id` is about; answers
/// until when the link works.
pub async fn change_login_address(
    state: &AppState,
    agent: &Agent,
    id: i32,
    new_address: &str,
    client_ip: &str,
) -> Outcome<DateTime<Utc>> {
    let Some(ticket) = support_ticket::Entity::find_by_id(id)
        .one(&state.db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let owner = target(state, &ticket).await?;
    if owner.login_email == new_address {
        return refuse(AddressChangeRefusal::SameAddress);
    }
    let origin = Origin::Support {
        agent,
        ticket: id,
        client_ip,
    };
    address::request_from(state, &owner, AddressKind::Login, new_address, origin).await
}

/// The active account with the ticket's login address.
async fn target(state: &AppState, ticket: &support_ticket::Model) -> Outcome<user::Model> {
    let (Some(situation), Some(status)) = (
        Situation::from_code(&ticket.situation),
        TicketStatus::from_code(&ticket.status),
    ) else {
        return refuse(TicketRefusal::NoLoginAddress);
    };
    let login = unblocking_target(situation, status, ticket.login_address.as_deref())?;
    let owner = user::Entity::find()
        .filter(user::Column::LoginEmail.eq(login))
        .filter(user::Column::Status.eq(UserStatus::Active))
        .one(&state.db)
        .await?;
    match owner {
        Some(owner) => Ok(owner),
        None => refuse(TicketRefusal::NoSuchAccount),
    }
}
