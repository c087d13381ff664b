//! What a backend service answers instead of its result.
//!
//! Every service returns one flat [`Outcome`]: the value, a [`Refusal`] (an
//! expected "no" the user is told, from the domain's vocabulary), or a
//! failure of the infrastructure (database, hashing, WebAuthn library…),
//! which `api::errors` logs and hides. Services refuse with
//! `return refuse(FactorRefusal::NoTotp)` and let `?` carry database errors
//! and the refusals of the domain's checks.

use crate::domain::refusal::Refusal;
use sea_orm::DbErr;

/// A backend service's error: a refusal, or an infrastructure failure.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// An expected refusal, told to the user.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("password hashing: {0}")]
    Hash(String),
    /// The hashing pool's queue is full: the portal is busy, try again.
    #[error("{0}")]
    Busy(#[from] crate::backend::hashing::Busy),
    #[error("webauthn: {0}")]
    Webauthn(String),
    #[error("stored state unreadable: {0}")]
    State(#[from] serde_json::Error),
    #[error("totp: {0}")]
    Totp(String),
}

impl From<crate::backend::secrets::HashError> for BackendError {
    fn from(error: crate::backend::secrets::HashError) -> BackendError {
        BackendError::Hash(error.to_string())
    }
}

/// The result of a backend service.
pub type Outcome<T> = Result<T, BackendError>;

/// Refuses with `refusal` (any area's refusal enum, or a [`Refusal`]).
pub fn refuse<T>(refusal: impl Into<Refusal>) -> Outcome<T> {
    Err(BackendError::Refused(refusal.into()))
}

macro_rules! refusals {
    ($($area:ty),* $(,)?) => {
        $(impl From<$area> for BackendError {
            fn from(refusal: $area) -> BackendError {
                BackendError::Refused(refusal.into())
            }
        })*
    };
}

// `?` carries a domain check's refusal: `check_x(..)?`.
refusals!(
    Refusal,
    crate::domain::login::LoginRefusal,
    crate::domain::account::LinkFailure,
    crate::domain::factors::FactorRefusal,
    crate::domain::structures::StructureRefusal,
    crate::domain::attachments::AttachmentRefusal,
    crate::domain::authorisations::ProfileRefusal,
    crate::domain::authorisations::TransferRefusal,
    crate::domain::members::MemberActionRefusal,
    crate::domain::photo::PhotoProblem,
    crate::domain::tickets::TicketRefusal,
    crate::domain::support::SupportRefusal,
    crate::domain::technical::TechnicalRefusal,
);

impl BackendError {
    /// The refusal, if this is one (tests and callers that branch on it).
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            BackendError::Refused(refusal) => Some(refusal),
            _ => None,
        }
    }
}
