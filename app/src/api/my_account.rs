//! Server functions of *Mon compte* (rule P1): the account's card, saving
//! one field, asking to change the contact address (a link to the new
//! address; `api::address` confirms it), the notification topics (rule
//! P2), and deactivating the account (rule P5). Only the caller's own
//! account is ever read or written. Changing the contact address needs a recent login,
//! as it decides where the account's security notices go (rule P3).

use super::address::PendingChange;
use crate::domain::my_account::AccountField;
use crate::domain::notifications::TopicSet;
use crate::domain::preferences::Language;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// What *Mon compte* shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCard {
    pub login_email: String,
    pub contact_email: String,
    /// A new contact address waiting for its link.
    pub pending_contact: Option<PendingChange>,
    pub last_name: String,
    pub first_name: String,
    pub phone: Option<String>,
    pub work_address: Option<String>,
    pub biography: Option<String>,
    /// *Préférences utilisateurs* (rule P4), as the account saved them.
    pub language: Language,
    pub accessibility: bool,
    pub survey_consent: bool,
    /// *Paramétrer vos notifications* (rule P2): the chosen topics.
    pub notifications: TopicSet,
    /// When the profile photo was saved (milliseconds since 1970), if there
    /// is one: the page asks for the photo by this stamp.
    pub photo: Option<i64>,
}

impl AccountCard {
    /// The stored value of a field, as its editor starts.
    pub fn value(&self, field: AccountField) -> Option<&str> {
        match field {
            AccountField::LastName => Some(&self.last_name),
            AccountField::FirstName => Some(&self.first_name),
            AccountField::Phone => self.phone.as_deref(),
            AccountField::WorkAddress => self.work_address.as_deref(),
            AccountField::Biography => self.biography.as_deref(),
        }
    }
}

#[server(endpoint = "my-account")]
pub async fn my_account() -> Result<AccountCard, AppError> {
    use super::session::logged_in;
    use crate::backend::accounts::address;
    use crate::backend::app_state;
    use crate::domain::address_change::AddressKind;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let now = state.clock.now();
    let pending_contact = address::pending(&state.db, me.user.id, AddressKind::Contact, now)
        .await?
        .map(|change| PendingChange {
            new_address: change.new_address,
            expires_at: change.expires_at,
        });
    let saved = crate::backend::accounts::preferences::saved(&me.user);
    let chosen = crate::backend::notifications::topics(&state.db, me.user.id).await?;
    let notifications = TopicSet::of(&chosen);
    let photo = crate::backend::accounts::photo::saved_at(&state.db, me.user.id)
        .await?
        .map(|at| at.timestamp_millis());
    let user = me.user;
    Ok(AccountCard {
        language: saved.language,
        accessibility: saved.accessibility,
        survey_consent: user.survey_consent,
        login_email: user.login_email,
        contact_email: user.contact_email,
        pending_contact,
        last_name: user.last_name,
        first_name: user.first_name,
        phone: user.phone,
        work_address: user.work_address,
        biography: user.biography,
        notifications,
        photo,
    })
}

/// *Paramétrer vos notifications*, *Enregistrer*: the caller's topics become
/// `topics` (a [`TopicSet`]'s number; bits of no topic are refused).
#[server(endpoint = "save-notifications")]
pub async fn save_notifications(topics: u8) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::notifications;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let chosen = TopicSet::from_bits(topics).ok_or_else(|| AppError::invalid("topics"))?;
    Ok(notifications::save(&state, me.user.id, &chosen.topics(), &client_ip()).await?)
}

/// *Enregistrer la photo*: the form's file field `photo` (PNG or JPEG)
/// becomes the caller's profile photo, made again by the server; answers
/// the new photo's stamp. The HTTP edge gives this function, alone, a body
/// limit above the photo's size (`server::upload`).
#[server(endpoint = "upload-photo", input = MultipartFormData)]
pub async fn upload_photo(data: MultipartData) -> Result<i64, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::accounts::photo;
    use crate::backend::app_state;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    // Counted and given a place before the body is read.
    let _slot = photo::admit(&state, &me.user).await?;
    let form = data
        .into_inner()
        .ok_or_else(|| AppError::invalid("request"))?;
    let (declared_type, upload) = read_photo(form).await?;
    let saved = photo::save(&state, &me.user, declared_type, upload, &client_ip()).await?;
    Ok(saved.timestamp_millis())
}

/// The declared type and the bytes of the form's photo field, read up to
/// the largest size accepted.
#[cfg(feature = "ssr")]
async fn read_photo(mut form: multer::Multipart<'static>) -> Result<(String, Vec<u8>), AppError> {
    use crate::domain::photo::{FILE_FIELD, MAX_UPLOAD_BYTES, PhotoProblem};
    let unreadable = |_| AppError::invalid("request");
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        if field.name() != Some(FILE_FIELD) {
            continue;
        }
        let declared_type = field
            .content_type()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut upload = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if (upload.len() + chunk.len()) as u64 > MAX_UPLOAD_BYTES {
                return Err(AppError::Photo(PhotoProblem::TooLarge));
            }
            upload.extend_from_slice(&chunk);
        }
        return Ok((declared_type, upload));
    }
    Err(AppError::Photo(PhotoProblem::Missing))
}

/// *Supprimer la photo*.
#[server(endpoint = "remove-photo")]
pub async fn remove_photo() -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::accounts::photo;
    use crate::backend::app_state;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(photo::remove(&state, &me.user, &client_ip()).await?)
}

/// *Enregistrer* for one field.
#[server(endpoint = "save-account-field")]
pub async fn save_account_field(field: AccountField, value: String) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::accounts::details;
    use crate::backend::app_state;
    use crate::domain::my_account::check_account_field;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let value = check_account_field(field, &value).map_err(AppError::DetailsField)?;
    Ok(details::save(&state, &me.user, field, value, &client_ip()).await?)
}

/// Sends a confirmation link to the new contact address.
#[server(endpoint = "request-contact-change")]
pub async fn request_contact_change(
    new_address: String,
    confirmation: String,
) -> Result<PendingChange, AppError> {
    use super::address::request_change;
    use crate::domain::address_change::AddressKind;
    request_change(AddressKind::Contact, new_address, confirmation).await
}

/// *Désactiver mon compte*: the structures that need a successor first
/// (their names; empty when the account may be deactivated).
#[server(endpoint = "deactivation-check")]
pub async fn deactivation_check() -> Result<Vec<String>, AppError> {
    use super::session::logged_in;
    use crate::backend::accounts::deactivation;
    use crate::backend::app_state;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(deactivation::successors_needed(&state.db, me.user.id).await?)
}

/// *Soumettre*: deactivates the caller's account; `confirmed` is the box
/// *Désactiver mes accès*, `password` the account's.
#[server(endpoint = "deactivate-account")]
pub async fn deactivate_account(confirmed: bool, password: String) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::accounts::deactivation;
    use crate::backend::app_state;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    if !confirmed {
        return Err(AppError::invalid("confirmed"));
    }
    Ok(deactivation::deactivate(&state, &me.user, &password, &client_ip()).await?)
}
