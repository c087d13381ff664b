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
    use super::request::{client_ip, internal, start_session};
    use crate::backend::accounts::{self, LoginDenied};
    use crate::backend::{app_state, factors};
    use crate::domain::factors::Factor;
    let state = app_state()?;
    let user = match accounts::check_password(&state, &login_email, &password, &client_ip())
        .await
        .map_err(internal)?
    {
        Ok(user) => user,
        Err(LoginDenied::BadCredentials) => return Err(AppError::BadCredentials),
        Err(LoginDenied::Locked { until }) => {
            return Err(AppError::Locked { until: until.to_rfc3339() });
        }
    };
    let mut offered = factors::login_factors(&state.db, user.id).await.map_err(internal)?;
    if state.webauthn.is_none() {
        // Keys cannot work at this address: never ask for one.
        offered = LoginFactors::for_account(offered.allows(Factor::App), false);
    }
    if offered.asked == Factor::EmailCode {
        accounts::send_login_code(&state, &user).await.map_err(internal)?;
    }
    start_session(&state, None, Some(user.id)).await?;
    Ok(offered)
}

/// The e-mailed code: on success the session is rotated and logged in.
#[server(endpoint = "verify-code")]
pub async fn verify_code(code: String) -> Result<(), AppError> {
    use super::request::{client_ip, internal, pending_login, start_session};
    use crate::backend::accounts::{self, CodeDenied};
    use crate::backend::app_state;
    let state = app_state()?;
    let (user_id, _) = pending_login(&state).await?;
    match accounts::verify_login_code(&state, user_id, &code, &client_ip()).await.map_err(internal)? {
        Ok(()) => start_session(&state, Some(user_id), None).await,
        Err(CodeDenied::Wrong) => Err(AppError::CodeWrong),
        Err(CodeDenied::Expired) => Err(AppError::CodeExpired),
        Err(CodeDenied::TooManyAttempts) => Err(AppError::CodeTooManyAttempts),
    }
}

/// *Recevoir un code sur ma messagerie* / *Recevoir un nouveau code*: the
/// fallback that always works (rule L3).
#[server(endpoint = "resend-code")]
pub async fn resend_code() -> Result<(), AppError> {
    use super::request::{internal, pending_login};
    use crate::backend::entities::user;
    use crate::backend::{accounts, app_state};
    use sea_orm::EntityTrait;
    let state = app_state()?;
    let (user_id, _) = pending_login(&state).await?;
    let user = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotLoggedIn)?;
    accounts::send_login_code(&state, &user).await.map_err(internal)
}

/// The authenticator app's code (rule L3); a code works once.
#[server(endpoint = "verify-app-code")]
pub async fn verify_app_code(code: String) -> Result<(), AppError> {
    use super::request::{client_ip, internal, pending_login, start_session};
    use crate::backend::app_state;
    use crate::backend::factors::app::{self, AppDenied};
    use crate::domain::factors::normalize_code;
    let state = app_state()?;
    let (user_id, _) = pending_login(&state).await?;
    let code = normalize_code(&code).ok_or(AppError::CodeWrong)?;
    match app::verify_login(&state, user_id, &code, &client_ip()).await.map_err(internal)? {
        Ok(()) => start_session(&state, Some(user_id), None).await,
        Err(AppDenied::Locked { until }) => Err(AppError::Locked { until: until.to_rfc3339() }),
        Err(AppDenied::NoApp) => Err(AppError::NotAllowed),
        Err(AppDenied::CodeWrong | AppDenied::AlreadyExists) => Err(AppError::CodeWrong),
    }
}

/// The options for `navigator.credentials.get` (rule L3, security key).
#[server(endpoint = "key-login-start", output = Json)]
pub async fn start_key_login() -> Result<RequestChallengeResponse, AppError> {
    use super::request::{internal, pending_login};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let (user_id, session_id) = pending_login(&state).await?;
    keys::start_login(&state, &session_id, user_id)
        .await
        .map_err(internal)?
        .map_err(super::factors::key_error)
}

/// The browser's signed answer: on success the session is logged in.
#[server(endpoint = "key-login-finish", input = Json)]
pub async fn finish_key_login(credential: PublicKeyCredential) -> Result<(), AppError> {
    use super::request::{client_ip, internal, pending_login, start_session};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let (user_id, session_id) = pending_login(&state).await?;
    keys::finish_login(&state, &session_id, user_id, &credential, &client_ip())
        .await
        .map_err(internal)?
        .map_err(super::factors::key_error)?;
    start_session(&state, Some(user_id), None).await
}
