//! Server functions of *Mes facteurs d'authentification* (rules F1–F4).
//!
//! Every function needs a logged-in session; adding or removing a factor and
//! changing the password also need a recent authentication
//! ([`crate::domain::factors::RECENT_AUTHENTICATION_MINUTES`]), renewed only
//! by a full login: [`reauthenticate`] (password, then a second factor). Keys and the app are always looked up through the
//! caller's own account, so nobody can see or touch another user's factors.

use crate::domain::factors::LoginFactors;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use webauthn_rs_proto::{CreationChallengeResponse, RegisterPublicKeyCredential};

/// The authenticator app, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSummary {
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
    pub app: Option<TotpSummary>,
    pub keys: Vec<KeySummary>,
    /// Whether security keys work at the portal's address.
    pub keys_available: bool,
}

/// What the page shows to enrol an app: the QR code and its text forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    pub secret: String,
    pub uri: String,
    pub qr_png_base64: String,
}

#[server(endpoint = "factors")]
pub async fn my_factors() -> Result<FactorsOverview, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::factors::{keys, totp};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let app = totp::of_user(&state.db, me.user.id).await?;
    let keys = keys::of_user(&state.db, me.user.id).await?;
    Ok(FactorsOverview {
        app: app.map(|a| TotpSummary {
            name: a.name,
            added_at: a.created_at,
        }),
        keys: keys
            .into_iter()
            .map(|k| KeySummary {
                id: k.id,
                name: k.name,
                added_at: k.created_at,
                last_used_at: k.last_used_at,
            })
            .collect(),
        keys_available: state.webauthn.is_some(),
    })
}

/// *Confirmer mon identité* before a factor change when the login is old
/// (ASVS 7.5.1: full re-authentication): the logged-in user's password,
/// then, exactly as at login, a second factor. Until the second factor is
/// given the session only waits for it (it is no longer logged in); once
/// given, the session is logged in anew, with a new id and a recent
/// authentication. The password alone no longer renews anything.
#[server(endpoint = "reauthenticate")]
pub async fn reauthenticate(password: String) -> Result<LoginFactors, AppError> {
    use super::login::check_password_and_await_second_factor;
    use super::session::logged_in;
    let state = crate::backend::app_state()?;
    let me = logged_in(&state).await?;
    check_password_and_await_second_factor(&state, &me.user.login_email, &password).await
}

/// *Changer mon mot de passe* (rule F1): the current password proves who
/// asks; the other sessions end and this one gets a new id.
#[server(endpoint = "change-password")]
pub async fn change_password(
    current: String,
    password: String,
    confirmation: String,
) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in, start_session};
    use crate::backend::sessions::SessionState;
    use crate::backend::{app_state, factors};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    if password != confirmation {
        return Err(AppError::PasswordMismatch);
    }
    factors::change_password(
        &state,
        &me.user,
        &current,
        &password,
        &me.token,
        &client_ip(),
    )
    .await?;
    // The new session proves what the old one did: the same factor.
    let next = SessionState::LoggedIn {
        user_id: me.user.id,
        authenticated_at: state.clock.now(),
        totp_enrolment: None,
        second_factor: me.second_factor,
    };
    start_session(&state, &next).await.map(drop)
}

/// *Ajouter une application*, first step: a new secret, kept in the session.
#[server(endpoint = "app-start")]
pub async fn start_totp() -> Result<TotpEnrolment, AppError> {
    use super::session::{recently_authenticated, save_totp_enrolment};
    use crate::backend::app_state;
    use crate::backend::factors::totp::{self, Enrolment};
    let state = app_state()?;
    let mut me = recently_authenticated(&state).await?;
    if totp::of_user(&state.db, me.user.id).await?.is_some() {
        return Err(AppError::TotpAlreadyExists);
    }
    let enrolment = Enrolment::new(&state, &me.user)?;
    save_totp_enrolment(&state, &mut me, Some(enrolment.secret.clone())).await?;
    Ok(TotpEnrolment {
        secret: enrolment.secret,
        uri: enrolment.uri,
        qr_png_base64: enrolment.qr_png_base64,
    })
}

/// *Ajouter l'application*: the app's first code and the device's name.
#[server(endpoint = "app-add")]
pub async fn add_totp(name: String, code: String) -> Result<(), AppError> {
    use super::session::{client_ip, recently_authenticated, save_totp_enrolment};
    use crate::backend::app_state;
    use crate::backend::factors::totp;
    use crate::domain::factors::{check_device_name, normalize_code};
    let state = app_state()?;
    let mut me = recently_authenticated(&state).await?;
    let name = check_device_name(&name)?;
    let code = normalize_code(&code).ok_or(AppError::CodeWrong)?;
    let secret = me
        .totp_enrolment
        .clone()
        .ok_or(AppError::EnrolmentExpired)?;
    totp::add(&state, &me.user, &secret, &name, &code, &client_ip()).await?;
    save_totp_enrolment(&state, &mut me, None).await
}

/// The trash icon of the app.
#[server(endpoint = "app-remove")]
pub async fn remove_totp() -> Result<(), AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::totp;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let removed = totp::remove(&state, &me.user, &client_ip()).await?;
    if removed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// *Ajouter une nouvelle clé*, first half: options for
/// `navigator.credentials.create`.
#[server(endpoint = "key-start", output = Json)]
pub async fn start_key_registration() -> Result<CreationChallengeResponse, AppError> {
    use super::session::recently_authenticated;
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    Ok(keys::start_registration(&state, &me.session_id, &me.user).await?)
}

/// Second half: the browser's answer and the key's name.
#[server(endpoint = "key-finish", input = Json)]
pub async fn finish_key_registration(
    name: String,
    credential: RegisterPublicKeyCredential,
) -> Result<(), AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    use crate::domain::factors::check_device_name;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let name = check_device_name(&name)?;
    Ok(keys::finish_registration(
        &state,
        &me.session_id,
        &me.user,
        &name,
        &credential,
        &client_ip(),
    )
    .await?)
}

/// Renames one of the caller's keys.
#[server(endpoint = "key-rename")]
pub async fn rename_key(id: i32, name: String) -> Result<(), AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    use crate::domain::factors::check_device_name;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let name = check_device_name(&name)?;
    let renamed = keys::rename(&state, me.user.id, id, &name).await?;
    if renamed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Removes one of the caller's keys.
#[server(endpoint = "key-remove")]
pub async fn remove_key(id: i32) -> Result<(), AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::keys;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let removed = keys::remove(&state, &me.user, id, &client_ip()).await?;
    if removed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
