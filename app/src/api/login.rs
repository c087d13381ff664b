//! Server functions of *Se connecter* (rules L1–L3, L5): the password step,
//! then one second factor: the e-mailed code, the authenticator app's code or
//! a security key. The session remembers whose password was checked; each
//! second-factor function works only in such a session, and only with a
//! factor the account has (the e-mailed code always).

use crate::domain::factors::LoginFactors;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use webauthn_rs_proto::{PublicKeyCredential, RequestChallengeResponse};

/// The password step. On success, the answer says which second factor is
/// asked and which others are offered; the code is e-mailed at once when it
/// is the one asked.
#[server(endpoint = "login")]
pub async fn log_in(login_email: String, password: String) -> Result<LoginFactors, AppError> {
    let state = crate::backend::app_state()?;
    check_password_and_await_second_factor(&state, &login_email, &password).await
}

/// The password step, shared by the login and the re-authentication of
/// *Mes facteurs* (ASVS 7.5.1: a full login, both factors): checks the
/// password (throttled), turns the request's session into one waiting for the
/// second factor (a new id), and e-mails the code when it is the one asked.
#[cfg(feature = "ssr")]
pub(crate) async fn check_password_and_await_second_factor(
    state: &crate::backend::AppState,
    login_email: &str,
    password: &str,
) -> Result<LoginFactors, AppError> {
    use super::session::{client_ip, start_session};
    use crate::backend::sessions::SessionState;
    use crate::backend::{accounts, factors};
    use crate::domain::factors::Factor;
    let user = accounts::check_password(state, login_email, password, &client_ip()).await?;
    let offered = factors::login_factors(state, &user).await?;
    let sends_code = offered.asked == Factor::EmailCode;
    let waiting = SessionState::AwaitingSecondFactor {
        user_id: user.id,
        password_at: state.clock.now(),
        code_sends: u32::from(sends_code),
    };
    let session_id = start_session(state, &waiting).await?;
    if sends_code {
        accounts::send_login_code(state, &user, &session_id, 0).await?;
    }
    Ok(offered)
}

/// The e-mailed code: on success the session is rotated and logged in.
#[server(endpoint = "verify-code")]
pub async fn verify_code(code: String) -> Result<(), AppError> {
    use super::session::{client_ip, finish_login, pending_login};
    use crate::backend::factors::recovery;
    use crate::backend::{accounts, app_state};
    use crate::domain::factors::Factor;
    let state = app_state()?;
    let pending = pending_login(&state).await?;
    let factors = recovery::check_email_code_accepted(&state, &pending.user).await?;
    accounts::verify_login_code(
        &state,
        &pending.user,
        &pending.session_id,
        &code,
        &client_ip(),
    )
    .await?;
    recovery::after_email_code_login(&state, &pending.user, &factors, &client_ip()).await?;
    finish_login(&state, &pending.user, Factor::EmailCode).await
}

/// *Recevoir un code sur ma messagerie* / *Recevoir un nouveau code*: the
/// fallback (rule L3), a few times per login, unless the account refuses
/// the e-mailed code.
#[server(endpoint = "resend-code")]
pub async fn resend_code() -> Result<(), AppError> {
    use super::session::{count_code_send, pending_login};
    use crate::backend::factors::recovery;
    use crate::backend::{accounts, app_state};
    let state = app_state()?;
    let pending = pending_login(&state).await?;
    recovery::check_email_code_accepted(&state, &pending.user).await?;
    count_code_send(&state, &pending).await?;
    Ok(accounts::send_login_code(
        &state,
        &pending.user,
        &pending.session_id,
        pending.code_sends,
    )
    .await?)
}

/// The authenticator app's code (rule L3); a code works once.
#[server(endpoint = "verify-app-code")]
pub async fn verify_app_code(code: String) -> Result<(), AppError> {
    use super::session::{client_ip, finish_login, pending_login};
    use crate::backend::app_state;
    use crate::backend::factors::totp;
    use crate::domain::factors::Factor;
    use crate::domain::factors::normalize_code;
    let state = app_state()?;
    let pending = pending_login(&state).await?;
    let code = normalize_code(&code).ok_or(AppError::CodeWrong)?;
    totp::verify_login(&state, &pending.user, &code, &client_ip()).await?;
    finish_login(&state, &pending.user, Factor::Totp).await
}

/// The options for `navigator.credentials.get` (rule L3, security key).
#[server(endpoint = "key-login-start", output = Json)]
pub async fn start_key_login() -> Result<RequestChallengeResponse, AppError> {
    use super::session::pending_login;
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let pending = pending_login(&state).await?;
    Ok(keys::start_login(&state, &pending.session_id, pending.user.id).await?)
}

/// The browser's signed answer: on success the session is logged in.
#[server(endpoint = "key-login-finish", input = Json)]
pub async fn finish_key_login(credential: PublicKeyCredential) -> Result<(), AppError> {
    use super::session::{client_ip, finish_login, pending_login};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    use crate::domain::factors::Factor;
    let state = app_state()?;
    let pending = pending_login(&state).await?;
    keys::finish_login(
        &state,
        &pending.session_id,
        &pending.user,
        &credential,
        &client_ip(),
    )
    .await?;
    finish_login(&state, &pending.user, Factor::SecurityKey).await
}

/// A recovery code (*Utiliser un code de secours*): on success the session
/// is logged in; the code stops working and the contact address is told.
#[server(endpoint = "verify-recovery-code")]
pub async fn verify_recovery_code(code: String) -> Result<(), AppError> {
    use super::session::{client_ip, finish_login, pending_login};
    use crate::backend::app_state;
    use crate::backend::factors::recovery;
    use crate::domain::factors::Factor;
    let state = app_state()?;
    let pending = pending_login(&state).await?;
    recovery::verify_login(&state, &pending.user, &code, &client_ip()).await?;
    finish_login(&state, &pending.user, Factor::RecoveryCode).await
}
