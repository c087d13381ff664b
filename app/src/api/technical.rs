//! Server functions of *Compte technique* and of the technical user's line
//! on a structure's page (rules T1–T3, issue 17). Any user attached to the
//! structure sees its technical user; only its primary manager acts (the
//! backend decides, `domain::technical::may_act`); a user who is not
//! attached learns nothing. A password is in an answer once, when it is
//! issued, and never again.

use crate::domain::shown_once::ShownOnce;
use crate::domain::technical::TechnicalStatus;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A structure the caller may choose on *Compte technique*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureChoice {
    pub id: i32,
    pub identifier: String,
    pub name: String,
}

/// *Liste des comptes techniques*: the structure's technical user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnicalAccountLine {
    /// *ID d'utilisateur*.
    pub login: String,
    /// *État*.
    pub status: TechnicalStatus,
    /// *Date exp. Mot de passe*.
    pub password_expires_at: DateTime<Utc>,
    /// *Contact*: the primary manager's contact address.
    pub contact: Option<String>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

/// A structure and its technical user, if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnicalOverview {
    pub structure_id: i32,
    pub identifier: String,
    pub name: String,
    /// The caller is the primary manager: the only one who may act (T2).
    pub viewer_primary: bool,
    pub account: Option<TechnicalAccountLine>,
}

/// A password the server just generated, shown once (T3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub login: String,
    pub password: ShownOnce,
    pub expires_at: DateTime<Utc>,
}

#[cfg(feature = "ssr")]
impl From<crate::backend::technical::Issued> for IssuedPassword {
    fn from(issued: crate::backend::technical::Issued) -> IssuedPassword {
        IssuedPassword {
            login: issued.login,
            password: issued.password,
            expires_at: issued.expires_at,
        }
    }
}

/// How many of the caller's structures *Compte technique* offers: the most
/// recently joined first. A user attached to more (Support's test accounts,
/// say) reaches the others from their structure's page.
pub const CHOICES: u64 = 200;

/// The structures the caller may choose on *Compte technique*: those they
/// are attached to (the page says why a structure refuses them).
#[server(endpoint = "technical-structures")]
pub async fn technical_structures() -> Result<Vec<StructureChoice>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let (lines, _) = structures::of_user(&state.db, me.user.id, 0, CHOICES).await?;
    Ok(lines
        .into_iter()
        .map(|line| StructureChoice {
            id: line.structure.id,
            identifier: line.structure.identifier,
            name: line.structure.name,
        })
        .collect())
}

/// The structure's technical user (T1), for any user attached to it.
#[server(endpoint = "technical-account")]
pub async fn technical_account(structure_id: i32) -> Result<TechnicalOverview, AppError> {
    use super::session::logged_in;
    use crate::backend::{app_state, technical};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let found = technical::of_structure(&state, me.user.id, structure_id).await?;
    Ok(TechnicalOverview {
        structure_id: found.structure_id,
        identifier: found.identifier,
        name: found.name,
        viewer_primary: found.viewer_primary,
        account: found.user.map(|user| TechnicalAccountLine {
            login: user.login,
            status: user.status,
            password_expires_at: user.password_expires_at,
            contact: user.contact,
            created_at: user.created_at,
            modified_at: user.modified_at,
        }),
    })
}

/// *Création d'un compte technique*, then *Soumettre*: the technical user
/// and its first password.
#[server(endpoint = "technical-create")]
pub async fn create_technical_account(structure_id: i32) -> Result<IssuedPassword, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::{app_state, technical};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(
        technical::create(&state, me.user.id, structure_id, &client_ip())
            .await?
            .into(),
    )
}

/// *Réinitialisation du mot de passe d'un compte technique* chosen: the
/// password *Soumettre* would put in force. Nothing changes yet.
#[server(endpoint = "technical-propose")]
pub async fn propose_technical_password(structure_id: i32) -> Result<IssuedPassword, AppError> {
    use super::session::logged_in;
    use crate::backend::{app_state, technical};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(technical::propose(&state, me.user.id, structure_id)
        .await?
        .into())
}

/// *Soumettre* after a proposal: `password` must be the one just shown.
/// Answers the new expiry.
#[server(endpoint = "technical-submit")]
pub async fn submit_technical_password(
    structure_id: i32,
    password: String,
) -> Result<DateTime<Utc>, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::{app_state, technical};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let ip = client_ip();
    Ok(technical::submit_proposal(&state, me.user.id, structure_id, &password, &ip).await?)
}

/// *Réinitialiser le mot de passe (utilisateur technique)* on the
/// structure's page, after *Confirmer*: in force at once.
#[server(endpoint = "technical-reset")]
pub async fn reset_technical_password(structure_id: i32) -> Result<IssuedPassword, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::{app_state, technical};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(
        technical::reset_password(&state, me.user.id, structure_id, &client_ip())
            .await?
            .into(),
    )
}

/// *Activer* / *Désactiver un compte technique*.
#[server(endpoint = "technical-status")]
pub async fn set_technical_status(
    structure_id: i32,
    status: TechnicalStatus,
) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::{app_state, technical};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let ip = client_ip();
    Ok(technical::set_status(&state, me.user.id, structure_id, status, &ip).await?)
}

/// One of the structure's API clients (T4), as its primary manager sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientRow {
    /// The line's id (for *Révoquer*).
    pub id: i32,
    /// The public client id.
    pub client_id: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A client just created: its secret is in this answer only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedApiClient {
    pub client_id: String,
    pub secret: ShownOnce,
}

/// The structure's API clients, for its primary manager.
#[server(endpoint = "api-clients")]
pub async fn api_clients(structure_id: i32) -> Result<Vec<ApiClientRow>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::technical::clients;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let found = clients::list(&state, me.user.id, structure_id).await?;
    Ok(found
        .into_iter()
        .map(|c| ApiClientRow {
            id: c.id,
            client_id: c.client_id,
            created_at: c.created_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
        })
        .collect())
}

/// *Créer un client de l'API*: its id and secret.
#[server(endpoint = "api-client-create")]
pub async fn create_api_client(structure_id: i32) -> Result<IssuedApiClient, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::technical::clients;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let issued = clients::create(&state, me.user.id, structure_id, &client_ip()).await?;
    Ok(IssuedApiClient {
        client_id: issued.client_id,
        secret: issued.secret,
    })
}

/// *Révoquer* a client (its line's `id`).
#[server(endpoint = "api-client-revoke")]
pub async fn revoke_api_client(structure_id: i32, id: i32) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::technical::clients;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(clients::revoke(&state, me.user.id, structure_id, id, &client_ip()).await?)
}
