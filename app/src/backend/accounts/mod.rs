//! The account lifecycle as services (rules A1–A6, L1, L2, L4, L5): sign-up,
//! one-time links, choosing a password, password check with brute-force
//! protection, e-mailed login codes. Server functions call these; every
//! change commits together with its e-mail (outbox) and its audit entry.
//!
//! Services return one flat [`crate::backend::Outcome`]: expected refusals
//! (wrong password, expired link) are [`crate::domain::refusal::Refusal`]s.

pub mod address;
pub mod deactivation;
pub mod details;
mod login;
mod password;
pub mod photo;
pub mod preferences;
mod signup;
pub mod suspension;

pub use login::{check_password, log_event, record_login, send_login_code, verify_login_code};
pub use password::{
    RESETS_PER_ADDRESS_PER_HOUR, RESETS_PER_CLIENT_PER_HOUR, request_reset, set_password_with_link,
};
pub use signup::sign_up;

use crate::backend::entities::user;
use crate::backend::mails;
use crate::backend::state::AppState;
use crate::domain::preferences::Language;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// The account of a (normalised) login address. An address that
/// [`check_email`](crate::domain::account::check_email) refuses cannot be an
/// account's (every account signed up with a checked one), so it is not
/// looked for: whatever the login form is sent (a NUL, which PostgreSQL
/// refuses in a query, or 60 KB of text) answers as an unknown address.
pub async fn find_by_login<C: ConnectionTrait>(
    conn: &C,
    login_email: &str,
) -> Result<Option<user::Model>, DbErr> {
    if crate::domain::account::check_email(login_email).is_err() {
        return Ok(None);
    }
    user::Entity::find()
        .filter(user::Column::LoginEmail.eq(login_email))
        .one(conn)
        .await
}

/// The language a user reads e-mails in.
fn language_of(user: &user::Model) -> Language {
    Language::parse(&user.language).unwrap_or_default()
}

/// The mail context for a message to `recipient`.
fn mail_context<'a>(
    state: &'a AppState,
    language: Language,
    recipient: &'a str,
) -> mails::Context<'a> {
    mails::Context::to(&state.settings, language, recipient)
}

/// A link to a page of the portal, for e-mails.
fn portal_link(state: &AppState, path_and_query: &str) -> String {
    state.settings.site.link(path_and_query)
}
