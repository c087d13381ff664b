//! *Nous contacter* → *Envoyer un ticket* (rule U1): open to visitors and
//! logged-in users. The form is checked by `domain::tickets`, the captcha
//! redeemed, and `backend::tickets` stores, limits and acknowledges it.

use crate::domain::tickets::TicketInput;
use crate::error::AppError;
use leptos::prelude::*;

/// *Soumettre*: answers the ticket's number.
#[server(endpoint = "send-ticket")]
pub async fn send_ticket(
    input: TicketInput,
    challenge: String,
    nonce: u64,
) -> Result<String, AppError> {
    use super::session::{client_ip, language, logged_in};
    use crate::backend::{app_state, captcha, tickets};
    use crate::domain::tickets::check_ticket;
    let state = app_state()?;
    let ticket = check_ticket(&input).map_err(AppError::TicketFields)?;
    if !captcha::redeem(&state.db, &challenge, nonce, state.clock.now()).await? {
        return Err(AppError::CaptchaFailed);
    }
    // Logged in or not: a ticket is how a locked-out user reaches Support.
    let sender = logged_in(&state).await.ok().map(|me| me.user);
    let number =
        tickets::submit(&state, &ticket, sender.as_ref(), language(), &client_ip()).await?;
    Ok(number)
}
