//! The error type every server function returns.
//!
//! Variants are what a user can be told; internal details (database errors,
//! I/O) are logged on the server where they happen and reach the wire only as
//! [`AppError::Internal`]. The message shown is chosen by the client, in the
//! user's language, from the variant.

use crate::domain::account::{FieldProblem, SignupField};
use crate::domain::address_change::AddressChangeRefusal;
use crate::domain::attachments::{AttachmentRefusal, RequestProblem};
use crate::domain::audit::AuditFilter;
use crate::domain::authorisations::{ProfileRefusal, TransferRefusal};
use crate::domain::factors::DeviceNameProblem;
use crate::domain::members::MemberActionRefusal;
use crate::domain::my_account::DeactivationRefusal;
use crate::domain::password::Criterion;
use crate::domain::photo::PhotoProblem;
use crate::domain::structures::{StructureField, StructureProblem};
use crate::domain::support::SupportRefusal;
use crate::domain::technical::TechnicalRefusal;
use crate::domain::tickets::{TicketField, TicketRefusal};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub use crate::domain::account::LinkFailure;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request's input is not valid; `field` names the offending field.
    #[error("invalid input in {field}")]
    InvalidInput { field: String },
    /// Fields of a form are not valid.
    #[error("invalid form")]
    Fields(Vec<(SignupField, FieldProblem)>),
    /// The field of *Mon compte* being saved is not valid.
    #[error("invalid account field")]
    DetailsField(FieldProblem),
    /// The captcha was not solved, or was solved too late or twice.
    #[error("captcha failed")]
    CaptchaFailed,
    /// A one-time link does not work.
    #[error("link failed")]
    Link(LinkFailure),
    /// The new password misses these criteria.
    #[error("weak password")]
    WeakPassword(Vec<Criterion>),
    /// The password and its confirmation differ.
    #[error("password mismatch")]
    PasswordMismatch,
    /// Unknown address or wrong password (one answer for both).
    #[error("bad credentials")]
    BadCredentials,
    /// Too many tries; locked until this RFC 3339 time.
    #[error("locked until {until}")]
    Locked { until: String },
    /// The code is wrong.
    #[error("wrong code")]
    CodeWrong,
    /// No live code: ask for a new one.
    #[error("code expired")]
    CodeExpired,
    /// Too many wrong codes: ask for a new one.
    #[error("too many codes")]
    CodeTooManyAttempts,
    /// This login asked for all the codes it may: log in again.
    #[error("too many codes sent")]
    TooManyCodesSent,
    /// The current password is wrong (*Changer mon mot de passe*).
    #[error("wrong current password")]
    WrongCurrentPassword,
    /// The change needs a recent login: confirm the password first.
    #[error("recent login required")]
    RecentLoginRequired,
    /// The account already has an authenticator app: delete it first.
    #[error("app already exists")]
    TotpAlreadyExists,
    /// Recovery codes, or refusing the e-mailed code, need an app or a key
    /// (and, for the latter, recovery codes).
    #[error("strong factor required")]
    StrongFactorRequired,
    /// The account no longer accepts the e-mailed code.
    #[error("e-mailed code refused")]
    EmailCodeRefused,
    /// The app enrolment was not started in this session (or has ended).
    #[error("app enrolment expired")]
    EnrolmentExpired,
    /// The device or key name is not acceptable.
    #[error("bad device name")]
    DeviceName(DeviceNameProblem),
    /// Security keys do not work at the portal's address.
    #[error("security keys unavailable")]
    KeysUnavailable,
    /// The security key's answer came too late, or twice.
    #[error("key ceremony expired")]
    KeyCeremonyExpired,
    /// The security key's answer did not verify.
    #[error("key rejected")]
    KeyRejected,
    /// This security key is already registered.
    #[error("key already registered")]
    KeyAlreadyRegistered,
    /// Fields of the structure form are not valid.
    #[error("invalid structure form")]
    StructureFields(Vec<(StructureField, StructureProblem)>),
    /// The SIRET is not in the SIRENE directory.
    #[error("unknown SIRET")]
    SiretUnknown,
    /// The SIRET's establishment is closed.
    #[error("closed SIRET")]
    SiretClosed,
    /// A structure with this identifier exists already.
    #[error("structure exists")]
    StructureExists,
    /// The structure already has a service with this code.
    #[error("service code taken")]
    ServiceCodeTaken,
    /// The service's code or label is not acceptable.
    #[error("invalid service")]
    ServiceInvalid,
    /// The attachment request form is not valid (rule S5).
    #[error("invalid attachment request")]
    RequestForm(RequestProblem),
    /// An attachment operation is refused (rules S5–S8).
    #[error("attachment refused")]
    Attachment(AttachmentRefusal),
    /// A change of profiles is refused (rules H4, H5, M3).
    #[error("profile change refused")]
    Profile(ProfileRefusal),
    /// Handing over the primary manager's role is refused (rule M3).
    #[error("transfer refused")]
    Transfer(TransferRefusal),
    /// A manager's action on users is refused (rule M2).
    #[error("member action refused")]
    Member(MemberActionRefusal),
    /// A change of login address is refused (rule P6).
    #[error("address change refused")]
    AddressChange(AddressChangeRefusal),
    /// *Désactiver mon compte* is refused (rule P5).
    #[error("deactivation refused")]
    Deactivation(DeactivationRefusal),
    /// The profile photo is refused (rule P1).
    #[error("photo refused")]
    Photo(PhotoProblem),
    /// Fields of the support ticket form are not valid (rule U1).
    #[error("invalid ticket")]
    TicketFields(Vec<(TicketField, FieldProblem)>),
    /// A support ticket is refused (rule U1).
    #[error("ticket refused")]
    Ticket(TicketRefusal),
    /// Support's reply to a ticket is not valid (rule U2).
    #[error("invalid reply")]
    Reply(FieldProblem),
    /// A filter of the audit log is not valid (rule U2).
    #[error("invalid audit filter")]
    AuditFilter(AuditFilter, FieldProblem),
    /// A reason Support typed is not valid (rule U2).
    #[error("invalid reason")]
    Reason(FieldProblem),
    /// A Support call needs a stronger login (rule U2).
    #[error("support refused")]
    Support(SupportRefusal),
    /// A request on a structure's technical user is refused (rules T1–T3).
    #[error("technical user refused")]
    Technical(TechnicalRefusal),
    /// No such item among the caller's.
    #[error("not found")]
    NotFound,
    /// The step needs a login in progress or a logged-in user.
    #[error("not logged in")]
    NotLoggedIn,
    /// The caller may not do this.
    #[error("not allowed")]
    NotAllowed,
    /// The portal is too busy to check a password now (the hashing queue is
    /// full): answered 503 with `Retry-After`; try again in a moment.
    #[error("busy")]
    Busy,
    /// Something failed on the server; details are in the server's log.
    #[error("internal error")]
    Internal,
    /// The request did not reach the function or its answer was unreadable.
    #[error("transport error: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str) -> Self {
        AppError::InvalidInput {
            field: field.to_owned(),
        }
    }

    /// The HTTP status the server answers with: a request's bad input is the
    /// client's error (4xx), never the server's (rule R5).
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::InvalidInput { .. }
            | AppError::Transport(_)
            | AppError::Fields(_)
            | AppError::DetailsField(_)
            | AppError::CaptchaFailed
            | AppError::Link(_)
            | AppError::WeakPassword(_)
            | AppError::PasswordMismatch
            | AppError::CodeWrong
            | AppError::CodeExpired
            | AppError::WrongCurrentPassword
            | AppError::EnrolmentExpired
            | AppError::DeviceName(_)
            | AppError::KeyCeremonyExpired
            | AppError::KeyRejected
            | AppError::StructureFields(_)
            | AppError::SiretUnknown
            | AppError::SiretClosed
            | AppError::ServiceInvalid
            | AppError::RequestForm(_)
            | AppError::TicketFields(_)
            | AppError::Reply(_)
            | AppError::AuditFilter(..)
            | AppError::Reason(_) => 400,
            AppError::Ticket(TicketRefusal::TooManyTickets) => 429,
            AppError::Ticket(TicketRefusal::StatusChanged | TicketRefusal::NoLoginAddress) => 409,
            AppError::Ticket(TicketRefusal::NoSuchAccount) => 404,
            AppError::Support(SupportRefusal::StrongLoginRequired) => 403,
            AppError::Technical(TechnicalRefusal::NotPrimaryManager) => 403,
            AppError::Technical(
                TechnicalRefusal::AlreadyCreated
                | TechnicalRefusal::NotCreated
                | TechnicalRefusal::ChangedMeanwhile
                | TechnicalRefusal::ProposalExpired
                | TechnicalRefusal::TooManyClients,
            ) => 409,
            AppError::Support(
                SupportRefusal::AccountUnchanged | SupportRefusal::SupportAccount,
            ) => 409,
            AppError::Photo(problem) => match problem {
                PhotoProblem::TooLarge => 413,
                PhotoProblem::TooManyUploads => 429,
                _ => 400,
            },
            AppError::RecentLoginRequired => 401,
            AppError::NotFound => 404,
            AppError::TotpAlreadyExists
            | AppError::KeyAlreadyRegistered
            | AppError::StrongFactorRequired
            | AppError::KeysUnavailable
            | AppError::StructureExists
            | AppError::ServiceCodeTaken
            | AppError::Attachment(_)
            | AppError::Profile(_)
            | AppError::Transfer(_)
            | AppError::Member(_)
            | AppError::Deactivation(_) => 409,
            AppError::BadCredentials | AppError::NotLoggedIn => 401,
            AppError::NotAllowed | AppError::EmailCodeRefused => 403,
            AppError::AddressChange(refusal) => match refusal {
                AddressChangeRefusal::SameAddress => 400,
                AddressChangeRefusal::Pending { .. } | AddressChangeRefusal::Unavailable => 409,
                AddressChangeRefusal::TooManyRequests => 429,
            },
            AppError::Locked { .. }
            | AppError::CodeTooManyAttempts
            | AppError::TooManyCodesSent => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not even deserialise are bad input, not a fault.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::invalid("request")
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
