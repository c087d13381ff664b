//! Server functions of *Changer mon adresse de connexion* (rule P6), and
//! the link's confirmation for both kinds of address (the contact address
//! is requested from *Mon compte*, `api::my_account`): what
//! the page shows, the request (which needs a recent login, as a factor
//! change does: whoever finds a session left open must not move the
//! account to an address of theirs), and the confirmation through the
//! e-mailed link (the token is the proof; no login needed, the link may be
//! opened in another browser).

use crate::domain::address_change::AddressKind;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A change waiting for its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChange {
    pub new_address: String,
    pub expires_at: DateTime<Utc>,
}

/// What the page shows: the current login address and the waiting change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginAddressState {
    pub current: String,
    pub pending: Option<PendingChange>,
}

#[server(endpoint = "address-change")]
pub async fn address_overview() -> Result<LoginAddressState, AppError> {
    use super::session::logged_in;
    use crate::backend::accounts::address;
    use crate::backend::app_state;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let pending = address::pending(&state.db, me.user.id, AddressKind::Login, state.clock.now())
        .await?
        .map(|change| PendingChange {
            new_address: change.new_address,
            expires_at: change.expires_at,
        });
    Ok(LoginAddressState {
        current: me.user.login_email,
        pending,
    })
}

/// *Soumettre*: e-mails the confirmation link to the new address.
#[server(endpoint = "request-address-change")]
pub async fn request_address_change(
    new_address: String,
    confirmation: String,
) -> Result<PendingChange, AppError> {
    request_change(AddressKind::Login, new_address, confirmation).await
}

/// Both kinds of request (the login address here, the contact address
/// from *Mon compte*): a recent login, the shared form check against the
/// address of that kind, then the e-mailed link.
#[cfg(feature = "ssr")]
pub(crate) async fn request_change(
    kind: AddressKind,
    new_address: String,
    confirmation: String,
) -> Result<PendingChange, AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::accounts::address;
    use crate::backend::app_state;
    use crate::domain::address_change::{AddressFormError, check_new_address};
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let current = match kind {
        AddressKind::Login => &me.user.login_email,
        AddressKind::Contact => &me.user.contact_email,
    };
    let new_address = match check_new_address(current, &new_address, &confirmation) {
        Ok(checked) => checked,
        Err(AddressFormError::Fields(problems)) => return Err(AppError::Fields(problems)),
        Err(AddressFormError::Refused(refusal)) => return Err(AppError::AddressChange(refusal)),
    };
    let expires_at = address::request(&state, &me.user, kind, &new_address, &client_ip()).await?;
    Ok(PendingChange {
        new_address,
        expires_at,
    })
}

/// A used link: which address changed, and to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedAddress {
    pub kind: AddressKind,
    pub address: String,
}

/// The link's page (a login or a contact address): makes the change.
#[server(endpoint = "confirm-address-change")]
pub async fn confirm_address_change(token: String) -> Result<ConfirmedAddress, AppError> {
    use super::session::{client_ip, session_token};
    use crate::backend::accounts::address;
    use crate::backend::app_state;
    let state = app_state()?;
    // The caller's session survives if it is the account's (the others end).
    let keep = session_token(&state.settings);
    let changed = address::confirm(&state, &token, keep.as_deref(), &client_ip()).await?;
    Ok(ConfirmedAddress {
        kind: changed.kind,
        address: changed.address,
    })
}
