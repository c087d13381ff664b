//! Server functions of *Mes facteurs d'authentification* (rules F1–F4).
//!
//! Every function needs a logged-in session; adding or removing a factor and
//! changing the password also need a recent authentication
//! ([`crate::domain::factors::RECENT_AUTHENTICATION_MINUTES`]), renewed by
//! [`confirm_password`]. Keys and the app are always looked up through the
//! caller's own account, so nobody can see or touch another user's factors.

#[cfg(feature = "ssr")]
use crate::domain::factors::DeviceNameProblem;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use webauthn_rs_proto::{CreationChallengeResponse, RegisterPublicKeyCredential};

/// The authenticator app, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSummary {
    pub name: String,
    pub added_at: DateTime<Utc>,
}

/// A security key, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySummary {
    pub id: i32,
    pub name: String,
    pub added_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorsOverview {
    pub app: Option<AppSummary>,
    pub keys: Vec<KeySummary>,
    /// Whether security keys work at the portal's address.
    pub keys_available: bool,
}

/// What the page shows to enrol an app: the QR code and its text forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppEnrolment {
    pub secret: String,
    pub uri: String,
    pub qr_png_base64: String,
}

#[cfg(feature = "ssr")]
fn name_error(problem: DeviceNameProblem) -> AppError {
    AppError::DeviceName(problem)
}

#[server(endpoint = "factors")]
pub async fn my_factors() -> Result<FactorsOverview, AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::factors::{app, keys};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let app = app::of_user(&state.db, me.user.id).await.map_err(internal)?;
    let keys = keys::of_user(&state.db, me.user.id).await.map_err(internal)?;
    Ok(FactorsOverview {
        app: app.map(|a| AppSummary { name: a.name, added_at: a.created_at }),
        keys: keys
            .into_iter()
            .map(|k| KeySummary { id: k.id, name: k.name, added_at: k.created_at, last_used_at: k.last_used_at })
            .collect(),
        keys_available: state.webauthn.is_some(),
    })
}

/// Confirms the password, renewing the recent authentication.
#[server(endpoint = "confirm-password")]
pub async fn confirm_password(password: String) -> Result<(), AppError> {
    use super::request::{client_ip, internal, logged_in, save_session_data};
    use crate::backend::accounts::{self, LoginDenied};
    use crate::backend::app_state;
    let state = app_state()?;
    let mut me = logged_in(&state).await?;
    match accounts::check_password(&state, &me.user.login_email, &password, &client_ip())
        .await
        .map_err(internal)?
    {
        Ok(_) => {}
        Err(LoginDenied::BadCredentials) => return Err(AppError::BadCredentials),
        Err(LoginDenied::Locked { until }) => return Err(AppError::Locked { until: until.to_rfc3339() }),
    }
    me.data.authenticated_at = Some(state.clock.now());
    save_session_data(&state, &me.token, &me.data).await
}

/// *Changer mon mot de passe* (rule F1): the current password proves who
/// asks; the other sessions end.
#[server(endpoint = "change-password")]
pub async fn change_password(
    current: String,
    password: String,
    confirmation: String,
) -> Result<(), AppError> {
    use super::request::{client_ip, internal, logged_in, save_session_data};
    use crate::backend::app_state;
    use crate::backend::factors::{self, ChangeDenied};
    let state = app_state()?;
    let mut me = logged_in(&state).await?;
    if password != confirmation {
        return Err(AppError::PasswordMismatch);
    }
    match factors::change_password(&state, &me.user, &current, &password, &me.token, &client_ip())
        .await
        .map_err(internal)?
    {
        Ok(()) => {
            me.data.authenticated_at = Some(state.clock.now());
            save_session_data(&state, &me.token, &me.data).await
        }
        Err(ChangeDenied::WrongCurrent) => Err(AppError::WrongCurrentPassword),
        Err(ChangeDenied::Locked(until)) => Err(AppError::Locked { until: until.to_rfc3339() }),
        Err(ChangeDenied::Weak(unmet)) => Err(AppError::WeakPassword(unmet)),
    }
}

/// *Ajouter une application*, first step: a new secret, kept in the session.
#[server(endpoint = "app-start")]
pub async fn start_app() -> Result<AppEnrolment, AppError> {
    use super::request::{internal, recently_authenticated, save_session_data};
    use crate::backend::app_state;
    use crate::backend::factors::app::{self, Enrolment};
    let state = app_state()?;
    let mut me = recently_authenticated(&state).await?;
    if app::of_user(&state.db, me.user.id).await.map_err(internal)?.is_some() {
        return Err(AppError::AppAlreadyExists);
    }
    let enrolment = Enrolment::new(&state, &me.user).map_err(internal)?;
    me.data.app_enrolment = Some(enrolment.secret.clone());
    save_session_data(&state, &me.token, &me.data).await?;
    Ok(AppEnrolment { secret: enrolment.secret, uri: enrolment.uri, qr_png_base64: enrolment.qr_png_base64 })
}

/// *Ajouter l'application*: the app's first code and the device's name.
#[server(endpoint = "app-add")]
pub async fn add_app(name: String, code: String) -> Result<(), AppError> {
    use super::request::{client_ip, internal, recently_authenticated, save_session_data};
    use crate::backend::app_state;
    use crate::backend::factors::app::{self, AppDenied};
    use crate::domain::factors::{check_device_name, normalize_code};
    let state = app_state()?;
    let mut me = recently_authenticated(&state).await?;
    let name = check_device_name(&name).map_err(name_error)?;
    let code = normalize_code(&code).ok_or(AppError::CodeWrong)?;
    let secret = me.data.app_enrolment.clone().ok_or(AppError::EnrolmentExpired)?;
    match app::add(&state, &me.user, &secret, &name, &code, &client_ip()).await.map_err(internal)? {
        Ok(()) => {
            me.data.app_enrolment = None;
            save_session_data(&state, &me.token, &me.data).await
        }
        Err(AppDenied::AlreadyExists) => Err(AppError::AppAlreadyExists),
        Err(AppDenied::CodeWrong | AppDenied::NoApp) => Err(AppError::CodeWrong),
        Err(AppDenied::Locked { until }) => Err(AppError::Locked { until: until.to_rfc3339() }),
    }
}

/// The trash icon of the app.
#[server(endpoint = "app-remove")]
pub async fn remove_app() -> Result<(), AppError> {
    use super::request::{client_ip, internal, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::app;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let removed = app::remove(&state, &me.user, &client_ip()).await.map_err(internal)?;
    if removed { Ok(()) } else { Err(AppError::NotFound) }
}

/// *Ajouter une nouvelle clé*, first half: options for
/// `navigator.credentials.create`.
#[server(endpoint = "key-start", output = Json)]
pub async fn start_key_registration() -> Result<CreationChallengeResponse, AppError> {
    use super::request::{internal, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    keys::start_registration(&state, &me.session_id(), &me.user)
        .await
        .map_err(internal)?
        .map_err(key_error)
}

/// Second half: the browser's answer and the key's name.
#[server(endpoint = "key-finish", input = Json)]
pub async fn finish_key_registration(
    name: String,
    credential: RegisterPublicKeyCredential,
) -> Result<(), AppError> {
    use super::request::{client_ip, internal, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    use crate::domain::factors::check_device_name;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let name = check_device_name(&name).map_err(name_error)?;
    keys::finish_registration(&state, &me.session_id(), &me.user, &name, &credential, &client_ip())
        .await
        .map_err(internal)?
        .map_err(key_error)
}

/// Renames one of the caller's keys.
#[server(endpoint = "key-rename")]
pub async fn rename_key(id: i32, name: String) -> Result<(), AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    use crate::domain::factors::check_device_name;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let name = check_device_name(&name).map_err(name_error)?;
    let renamed = keys::rename(&state, me.user.id, id, &name).await.map_err(internal)?;
    if renamed { Ok(()) } else { Err(AppError::NotFound) }
}

/// Removes one of the caller's keys.
#[server(endpoint = "key-remove")]
pub async fn remove_key(id: i32) -> Result<(), AppError> {
    use super::request::{client_ip, internal, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let removed = keys::remove(&state, &me.user, id, &client_ip()).await.map_err(internal)?;
    if removed { Ok(()) } else { Err(AppError::NotFound) }
}

/// The error a user is told for a refused key operation.
#[cfg(feature = "ssr")]
pub(crate) fn key_error(denied: crate::backend::factors::keys::KeyDenied) -> AppError {
    use crate::backend::factors::keys::KeyDenied;
    match denied {
        KeyDenied::Unavailable => AppError::KeysUnavailable,
        KeyDenied::NoCeremony => AppError::KeyCeremonyExpired,
        KeyDenied::Rejected | KeyDenied::NotFound | KeyDenied::NoKey => AppError::KeyRejected,
        KeyDenied::Duplicate => AppError::KeyAlreadyRegistered,
        KeyDenied::Locked { until } => AppError::Locked { until: until.to_rfc3339() },
    }
}
