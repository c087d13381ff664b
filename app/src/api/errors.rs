//! The one mapping from the backend's answers to the wire's [`AppError`].
//!
//! A refusal becomes the variant the client translates (and its HTTP status,
//! [`AppError::http_status`]); an infrastructure failure is logged here, once,
//! and reaches the client only as [`AppError::Internal`]. Server functions
//! therefore just write `backend::service(..).await?`.

use crate::backend::BackendError;
use crate::domain::attachments::RequestProblem;
use crate::domain::factors::{DeviceNameProblem, FactorRefusal};
use crate::domain::login::LoginRefusal;
use crate::domain::refusal::Refusal;
use crate::domain::structures::StructureRefusal;
use crate::error::AppError;

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        match refusal {
            Refusal::NotAllowed => AppError::NotAllowed,
            Refusal::NotFound => AppError::NotFound,
            Refusal::Login(login) => match login {
                LoginRefusal::BadCredentials => AppError::BadCredentials,
                LoginRefusal::Locked { until } => AppError::Locked {
                    until: until.to_rfc3339(),
                },
                LoginRefusal::CodeWrong => AppError::CodeWrong,
                LoginRefusal::CodeExpired => AppError::CodeExpired,
                LoginRefusal::CodeTooManyAttempts => AppError::CodeTooManyAttempts,
                LoginRefusal::TooManyCodesSent => AppError::TooManyCodesSent,
            },
            Refusal::Link(failure) => AppError::Link(failure),
            Refusal::WeakPassword(unmet) => AppError::WeakPassword(unmet),
            Refusal::Factor(factor) => match factor {
                FactorRefusal::TotpAlreadyExists => AppError::TotpAlreadyExists,
                FactorRefusal::NoTotp => AppError::NotAllowed,
                FactorRefusal::EnrolmentExpired => AppError::EnrolmentExpired,
                FactorRefusal::KeysUnavailable => AppError::KeysUnavailable,
                FactorRefusal::KeyCeremonyExpired => AppError::KeyCeremonyExpired,
                FactorRefusal::KeyRejected => AppError::KeyRejected,
                FactorRefusal::KeyAlreadyRegistered => AppError::KeyAlreadyRegistered,
                FactorRefusal::WrongCurrentPassword => AppError::WrongCurrentPassword,
                FactorRefusal::StrongFactorRequired => AppError::StrongFactorRequired,
                FactorRefusal::EmailCodeRefused => AppError::EmailCodeRefused,
            },
            Refusal::Structure(structure) => match structure {
                StructureRefusal::SiretUnknown => AppError::SiretUnknown,
                StructureRefusal::SiretClosed => AppError::SiretClosed,
                StructureRefusal::AlreadyExists => AppError::StructureExists,
                StructureRefusal::ServiceCodeTaken => AppError::ServiceCodeTaken,
                StructureRefusal::ServiceInvalid => AppError::ServiceInvalid,
            },
            Refusal::Attachment(refusal) => AppError::Attachment(refusal),
            Refusal::Profile(refusal) => AppError::Profile(refusal),
            Refusal::Transfer(refusal) => AppError::Transfer(refusal),
            Refusal::Member(refusal) => AppError::Member(refusal),
            Refusal::AddressChange(refusal) => AppError::AddressChange(refusal),
            Refusal::Deactivation(refusal) => AppError::Deactivation(refusal),
            Refusal::Photo(problem) => AppError::Photo(problem),
            Refusal::Ticket(refusal) => AppError::Ticket(refusal),
            Refusal::Support(refusal) => AppError::Support(refusal),
            Refusal::Technical(refusal) => AppError::Technical(refusal),
        }
    }
}

impl From<BackendError> for AppError {
    fn from(error: BackendError) -> AppError {
        match error {
            BackendError::Refused(refusal) => refusal.into(),
            BackendError::Busy(busy) => {
                tracing::warn!(%busy, "a request was turned away");
                AppError::Busy
            }
            failure => internal(failure),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> AppError {
        internal(error)
    }
}

// Input that the domain's checks refuse, as the forms show it.
impl From<RequestProblem> for AppError {
    fn from(problem: RequestProblem) -> AppError {
        AppError::RequestForm(problem)
    }
}

impl From<DeviceNameProblem> for AppError {
    fn from(problem: DeviceNameProblem) -> AppError {
        AppError::DeviceName(problem)
    }
}

/// Logs an infrastructure failure and hides it from the client.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "server function failed");
    AppError::Internal
}
