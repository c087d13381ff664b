//! Server functions of the account lifecycle (rules A1–A6, L4, L6); the
//! login steps are in [`super::login`].
//! Each one validates with the shared domain code and hands off to
//! `backend::accounts`; denials come back as typed [`AppError`]s.

use crate::domain::account::SignupInput;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A proof-of-work challenge (rule A2), as the browser receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptchaChallenge {
    pub challenge: String,
    pub bits: u32,
}

/// The logged-in user, for the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub first_name: String,
    pub last_name: String,
    pub login_email: String,
    /// Support (rule U2): the header links to the approval page.
    pub support: bool,
}

#[server(endpoint = "captcha")]
pub async fn new_captcha() -> Result<CaptchaChallenge, AppError> {
    use crate::backend::{app_state, captcha};
    let state = app_state()?;
    let issued = captcha::issue(
        &state.db,
        crate::domain::captcha::DEFAULT_BITS,
        state.clock.now(),
    )
    .await?;
    Ok(CaptchaChallenge {
        challenge: issued.challenge,
        bits: issued.bits,
    })
}

/// *Créer mon compte*. The same answer whether or not the address is taken.
#[server(endpoint = "sign-up")]
pub async fn sign_up(input: SignupInput, challenge: String, nonce: u64) -> Result<(), AppError> {
    use crate::backend::{accounts, app_state, captcha};
    use crate::domain::account::validate_signup;
    let state = app_state()?;
    let form = validate_signup(&input).map_err(AppError::Fields)?;
    let solved = captcha::redeem(&state.db, &challenge, nonce, state.clock.now()).await?;
    if !solved {
        return Err(AppError::CaptchaFailed);
    }
    Ok(accounts::sign_up(&state, &form, super::session::preferences()).await?)
}

/// Whether an activation or reset link still works (the page asks when it
/// opens, to show the form or the failure message of rule A5).
#[server(endpoint = "check-link")]
pub async fn check_link(token: String) -> Result<(), AppError> {
    use crate::backend::{app_state, links};
    let state = app_state()?;
    links::check(&state.db, &token, state.clock.now()).await?;
    Ok(())
}

/// Chooses the password through an activation or reset link.
#[server(endpoint = "set-password")]
pub async fn set_password(
    token: String,
    password: String,
    confirmation: String,
) -> Result<(), AppError> {
    use crate::backend::{accounts, app_state};
    let state = app_state()?;
    if password != confirmation {
        return Err(AppError::PasswordMismatch);
    }
    accounts::set_password_with_link(&state, &token, &password).await?;
    Ok(())
}

/// *Mot de passe oublié ?*: always the same answer (rule L4), in the same
/// time: the work (looking the address up, the link, the e-mail) runs after
/// the answer, so a known address cannot be told from an unknown one by the
/// clock either.
#[server(endpoint = "forgot-password")]
pub async fn forgot_password(login_email: String) -> Result<(), AppError> {
    use crate::backend::{accounts, app_state};
    let state = app_state()?;
    let email = crate::domain::account::check_email(&login_email)
        .map_err(|_| AppError::invalid("login_email"))?;
    let client = super::session::client_ip();
    tokio::spawn(async move {
        if let Err(error) = accounts::request_reset(&state, &email, &client).await {
            tracing::error!(%error, "password reset request failed");
        }
    });
    Ok(())
}

/// *Se déconnecter*: the session ends on the server.
#[server(endpoint = "logout")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::backend::{app_state, sessions};
    let state = app_state()?;
    if let Some(token) = super::session::session_token(&state.settings) {
        sessions::destroy(&state.db, &token).await?;
    }
    super::session::set_cookie(&sessions::removal_cookie(&state.settings))
}

/// Who is logged in, if anyone (a session waiting for the second factor
/// is not logged in).
#[server(endpoint = "me")]
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    use crate::backend::app_state;
    let state = app_state()?;
    let me = match super::session::logged_in(&state).await {
        Ok(me) => me.user,
        Err(AppError::NotLoggedIn) => return Ok(None),
        Err(other) => return Err(other),
    };
    Ok(Some(UserSummary {
        support: state.settings.support.is_support(&me.login_email),
        first_name: me.first_name,
        last_name: me.last_name,
        login_email: me.login_email,
    }))
}
