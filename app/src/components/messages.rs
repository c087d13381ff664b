//! The sentence a user reads for each [`AppError`], in their language: one
//! place, so the same refusal reads the same on every page.

use crate::domain::account::FieldProblem;
use crate::domain::address_change::AddressChangeRefusal;
use crate::domain::attachments::{
    AttachmentRefusal, CommentProblem, RequestProblem, RequestStatus,
};
use crate::domain::authorisations::{ProfileRefusal, TransferRefusal};
use crate::domain::factors::{DeviceNameProblem, check_device_name};
use crate::domain::members::MemberActionRefusal;
use crate::domain::my_account::DeactivationRefusal;
use crate::domain::password::Criterion;
use crate::domain::photo::PhotoProblem;
use crate::domain::support::SupportRefusal;
use crate::domain::technical::TechnicalRefusal;
use crate::domain::tickets::{Situation, TicketRefusal, TicketStatus};
use crate::error::AppError;
use crate::i18n::*;
use crate::webauthn::{BrowserKeyError, KeyCeremonyError};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The lock's end, as people read it (hours and minutes, UTC).
pub fn until_text(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.to_utc().format("%H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// A date as the pages show it: `22/11/2026` in French, `2026-11-22` in English.
pub fn date_text(i18n: I18nContext<Locale>, at: chrono::DateTime<chrono::Utc>) -> String {
    match i18n.get_locale() {
        Locale::fr => at.format("%d/%m/%Y").to_string(),
        Locale::en => at.format("%Y-%m-%d").to_string(),
    }
}

/// A moment, to the minute, in UTC (the server's clock; the browser's time
/// zone would make the server's and the browser's renderings differ).
pub fn date_time_text(i18n: I18nContext<Locale>, at: chrono::DateTime<chrono::Utc>) -> String {
    match i18n.get_locale() {
        Locale::fr => at.format("%d/%m/%Y à %H:%M UTC").to_string(),
        Locale::en => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// What a page for logged-in users shows a visitor: why, and *Se
/// connecter*.
#[component]
pub fn LoginNeeded(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>{move || text.get()}</p>
        <p>
            <leptos_router::components::A href="/connexion">{t!(i18n, sign_in)}</leptos_router::components::A>
        </p>
    }
}

pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::BadCredentials => t_string!(i18n, login.bad_credentials).to_owned(),
        AppError::Locked { until } => {
            t_string!(i18n, login.locked, until = until_text(until)).to_string()
        }
        AppError::CodeWrong => t_string!(i18n, login.code_wrong).to_owned(),
        AppError::CodeExpired => t_string!(i18n, login.code_expired).to_owned(),
        AppError::CodeTooManyAttempts => t_string!(i18n, login.code_locked).to_owned(),
        AppError::TooManyCodesSent => t_string!(i18n, login.codes_exhausted).to_owned(),
        AppError::NotLoggedIn => t_string!(i18n, errors.session).to_owned(),
        AppError::NotAllowed => t_string!(i18n, errors.not_allowed).to_owned(),
        AppError::WrongCurrentPassword => t_string!(i18n, errors.wrong_current_password).to_owned(),
        AppError::RecentLoginRequired => t_string!(i18n, errors.recent_login).to_owned(),
        AppError::TotpAlreadyExists => t_string!(i18n, errors.app_exists).to_owned(),
        AppError::EnrolmentExpired => t_string!(i18n, errors.enrolment_expired).to_owned(),
        AppError::DeviceName(DeviceNameProblem::Missing) => {
            t_string!(i18n, errors.name_missing).to_owned()
        }
        AppError::DeviceName(DeviceNameProblem::TooLong) => {
            t_string!(i18n, errors.name_too_long).to_owned()
        }
        AppError::StrongFactorRequired => t_string!(i18n, errors.strong_factor_required).to_owned(),
        AppError::EmailCodeRefused => t_string!(i18n, errors.email_code_refused).to_owned(),
        AppError::KeysUnavailable => t_string!(i18n, errors.keys_unavailable).to_owned(),
        AppError::KeyCeremonyExpired => t_string!(i18n, errors.key_expired).to_owned(),
        AppError::KeyRejected => t_string!(i18n, errors.key_rejected).to_owned(),
        AppError::KeyAlreadyRegistered => t_string!(i18n, errors.key_duplicate).to_owned(),
        AppError::NotFound => t_string!(i18n, errors.not_found).to_owned(),
        AppError::PasswordMismatch => t_string!(i18n, errors.password_mismatch).to_owned(),
        AppError::WeakPassword(unmet) => weak_password_text(i18n, unmet),
        AppError::SiretUnknown => t_string!(i18n, errors.siret_unknown).to_owned(),
        AppError::SiretClosed => t_string!(i18n, errors.siret_closed).to_owned(),
        AppError::ServiceCodeTaken => t_string!(i18n, errors.service_code_taken).to_owned(),
        AppError::ServiceInvalid => t_string!(i18n, errors.service_invalid).to_owned(),
        AppError::StructureExists => t_string!(i18n, errors.structure_exists).to_owned(),
        AppError::RequestForm(problem) => request_problem_text(i18n, *problem),
        AppError::Attachment(refusal) => refusal_text(i18n, *refusal),
        AppError::Profile(refusal) => match refusal {
            ProfileRefusal::NotManager => t_string!(i18n, errors.not_allowed),
            ProfileRefusal::PrimaryManagerKeepsOrganisation => {
                t_string!(i18n, authz.refused_primary)
            }
        }
        .to_owned(),
        AppError::Transfer(refusal) => match refusal {
            TransferRefusal::NotPrimaryManager => t_string!(i18n, errors.not_allowed),
            TransferRefusal::NotEligible => t_string!(i18n, members.transfer_not_eligible),
            TransferRefusal::ToSelf => t_string!(i18n, members.transfer_to_self),
        }
        .to_owned(),
        AppError::Member(refusal) => match refusal {
            MemberActionRefusal::Selection => t_string!(i18n, members.refused_selection),
            MemberActionRefusal::PrimaryManager => t_string!(i18n, members.refused_primary),
            MemberActionRefusal::Yourself => t_string!(i18n, members.refused_yourself),
            MemberActionRefusal::AlreadyAttached => t_string!(i18n, members.refused_attached),
            MemberActionRefusal::AlreadyInvited => t_string!(i18n, members.refused_invited),
            MemberActionRefusal::TooManyAdditions => t_string!(i18n, members.refused_additions),
        }
        .to_owned(),
        AppError::AddressChange(refusal) => address_refusal_text(i18n, refusal),
        AppError::DetailsField(problem) => field_problem_text(i18n, *problem),
        AppError::Photo(problem) => photo_problem_text(i18n, *problem),
        AppError::Ticket(TicketRefusal::TooManyTickets) => {
            t_string!(i18n, ticket.too_many).to_owned()
        }
        AppError::Ticket(TicketRefusal::StatusChanged) => {
            t_string!(i18n, desk.status_changed).to_owned()
        }
        AppError::Ticket(TicketRefusal::NoLoginAddress) => {
            t_string!(i18n, desk.no_login_address).to_owned()
        }
        AppError::Ticket(TicketRefusal::NoSuchAccount) => {
            t_string!(i18n, desk.no_such_account).to_owned()
        }
        AppError::Reply(problem)
        | AppError::Reason(problem)
        | AppError::AuditFilter(_, problem) => field_problem_text(i18n, *problem),
        AppError::Support(SupportRefusal::StrongLoginRequired) => {
            t_string!(i18n, desk.strong_login_required).to_owned()
        }
        AppError::Technical(refusal) => match refusal {
            TechnicalRefusal::NotPrimaryManager => t_string!(i18n, technical.not_primary_manager),
            TechnicalRefusal::AlreadyCreated => t_string!(i18n, technical.already_created),
            TechnicalRefusal::NotCreated => t_string!(i18n, technical.not_created),
            TechnicalRefusal::ChangedMeanwhile => t_string!(i18n, technical.changed_meanwhile),
            TechnicalRefusal::ProposalExpired => t_string!(i18n, technical.proposal_expired),
            TechnicalRefusal::TooManyClients => t_string!(i18n, technical.too_many_clients),
        }
        .to_owned(),
        AppError::Support(SupportRefusal::AccountUnchanged) => {
            t_string!(i18n, desk.account_unchanged).to_owned()
        }
        AppError::Support(SupportRefusal::SupportAccount) => {
            t_string!(i18n, desk.support_account).to_owned()
        }
        AppError::Deactivation(DeactivationRefusal::PrimaryManager { structures }) => {
            let structures = structures.join(", ");
            t_string!(i18n, deactivate.refused_primary, structures).to_string()
        }
        AppError::InvalidInput { .. }
        | AppError::Fields(_)
        | AppError::StructureFields(_)
        | AppError::TicketFields(_) => t_string!(i18n, errors.invalid_input).to_owned(),
        AppError::CaptchaFailed
        | AppError::Link(_)
        | AppError::Internal
        | AppError::Transport(_) => t_string!(i18n, errors.internal).to_owned(),
        AppError::Busy => t_string!(i18n, errors.busy).to_owned(),
    }
}

/// Why a profile photo is refused (rule P1).
pub fn photo_problem_text(i18n: I18nContext<Locale>, problem: PhotoProblem) -> String {
    match problem {
        PhotoProblem::Missing => t_string!(i18n, account.photo_missing),
        PhotoProblem::TooLarge => t_string!(i18n, account.photo_too_large),
        PhotoProblem::NotAnImage => t_string!(i18n, account.photo_not_image),
        PhotoProblem::TooManyPixels => t_string!(i18n, account.photo_too_many_pixels),
        PhotoProblem::Unreadable => t_string!(i18n, account.photo_unreadable),
        PhotoProblem::TooManyUploads => t_string!(i18n, account.photo_too_many),
    }
    .to_owned()
}

/// Why the login address cannot change (rule P6).
fn address_refusal_text(i18n: I18nContext<Locale>, refusal: &AddressChangeRefusal) -> String {
    match refusal {
        AddressChangeRefusal::Pending {
            new_address,
            expires_at,
        } => {
            let until = chrono::DateTime::parse_from_rfc3339(expires_at)
                .map(|at| date_time_text(i18n, at.to_utc()))
                .unwrap_or_else(|_| expires_at.clone());
            t_string!(
                i18n,
                address.refused_pending,
                address = new_address.clone(),
                until
            )
            .to_string()
        }
        AddressChangeRefusal::SameAddress => t_string!(i18n, address.refused_same).to_owned(),
        AddressChangeRefusal::Unavailable => {
            t_string!(i18n, address.refused_unavailable).to_owned()
        }
        AddressChangeRefusal::TooManyRequests => {
            t_string!(i18n, address.refused_too_many).to_owned()
        }
    }
}

/// One criterion of the password policy, as the checklist lists it.
pub fn criterion_text(i18n: I18nContext<Locale>, criterion: Criterion) -> String {
    match criterion {
        Criterion::MinLength => t_string!(i18n, password.MinLength),
        Criterion::MaxLength => t_string!(i18n, password.MaxLength),
        Criterion::Digit => t_string!(i18n, password.Digit),
        Criterion::Lowercase => t_string!(i18n, password.Lowercase),
        Criterion::Uppercase => t_string!(i18n, password.Uppercase),
        Criterion::Special => t_string!(i18n, password.Special),
        Criterion::NotCommon => t_string!(i18n, password.NotCommon),
        Criterion::NotPersonal => t_string!(i18n, password.NotPersonal),
    }
    .to_owned()
}

/// A refused password, with the criteria it misses (the server may refuse
/// one that the page could not check, such as the user's names).
pub fn weak_password_text(i18n: I18nContext<Locale>, unmet: &[Criterion]) -> String {
    let separator = t_string!(i18n, password.criteria_separator);
    let criteria = unmet
        .iter()
        .map(|c| criterion_text(i18n, *c))
        .collect::<Vec<_>>()
        .join(separator);
    t_string!(i18n, errors.weak_password, criteria = criteria).to_string()
}

/// What is wrong with an attachment request as typed (rule S5).
pub fn request_problem_text(i18n: I18nContext<Locale>, problem: RequestProblem) -> String {
    match problem {
        RequestProblem::Comment(CommentProblem::Missing) => {
            t_string!(i18n, attach.comment_missing).to_owned()
        }
        RequestProblem::Comment(CommentProblem::TooLong) => {
            t_string!(i18n, attach.comment_too_long).to_owned()
        }
        RequestProblem::Comment(CommentProblem::InvalidCharacters) => {
            t_string!(i18n, attach.comment_invalid).to_owned()
        }
        RequestProblem::NoService => t_string!(i18n, attach.no_service).to_owned(),
    }
}

fn refusal_text(i18n: I18nContext<Locale>, refusal: AttachmentRefusal) -> String {
    match refusal {
        AttachmentRefusal::AwaitingSupport => t_string!(i18n, attach.refused_awaiting).to_owned(),
        AttachmentRefusal::AlreadyAttached => t_string!(i18n, attach.refused_attached).to_owned(),
        AttachmentRefusal::AlreadyPending => t_string!(i18n, attach.refused_pending).to_owned(),
        AttachmentRefusal::ServiceUnknown => t_string!(i18n, attach.refused_service).to_owned(),
        AttachmentRefusal::Closed(_) => t_string!(i18n, attach.refused_closed).to_owned(),
        AttachmentRefusal::PrimaryManager => t_string!(i18n, attach.refused_primary).to_owned(),
        AttachmentRefusal::NotServiceLevel => t_string!(i18n, attach.refused_whole).to_owned(),
    }
}

/// A request's status, as *Historique de mes demandes* shows it.
pub fn status_text(i18n: I18nContext<Locale>, status: RequestStatus) -> String {
    match status {
        RequestStatus::Pending => t_string!(i18n, attach.status_pending).to_owned(),
        RequestStatus::Approved => t_string!(i18n, attach.status_approved).to_owned(),
        RequestStatus::Rejected => t_string!(i18n, attach.status_rejected).to_owned(),
        RequestStatus::Cancelled => t_string!(i18n, attach.status_cancelled).to_owned(),
    }
}

/// Why the browser gave no answer to a security-key request.
pub fn browser_key_text(i18n: I18nContext<Locale>, error: BrowserKeyError) -> String {
    match error {
        BrowserKeyError::Unsupported => t_string!(i18n, errors.key_unsupported).to_owned(),
        BrowserKeyError::AlreadyRegistered => t_string!(i18n, errors.key_duplicate).to_owned(),
        BrowserKeyError::Cancelled => t_string!(i18n, errors.key_cancelled).to_owned(),
    }
}

/// What is wrong with a form field (shared by every form that checks
/// names, e-mail addresses and phones with `domain::account`).
pub fn field_problem_text(i18n: I18nContext<Locale>, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => t_string!(i18n, field.Required),
        FieldProblem::InvalidEmail => t_string!(i18n, field.InvalidEmail),
        FieldProblem::Mismatch => t_string!(i18n, field.Mismatch),
        FieldProblem::TooLong => t_string!(i18n, field.TooLong),
        FieldProblem::TooShort => t_string!(i18n, field.TooShort),
        FieldProblem::InvalidPhone => t_string!(i18n, field.InvalidPhone),
        FieldProblem::InvalidCharacters => t_string!(i18n, field.InvalidCharacters),
        FieldProblem::InvalidDate => t_string!(i18n, field.InvalidDate),
        FieldProblem::DateOrder => t_string!(i18n, field.DateOrder),
    }
    .to_owned()
}

/// Why a security-key ceremony failed: the server's refusal or the browser's.
pub fn key_ceremony_text(i18n: I18nContext<Locale>, error: &KeyCeremonyError) -> String {
    match error {
        KeyCeremonyError::Server(error) => error_text(i18n, error),
        KeyCeremonyError::Browser(error) => browser_key_text(i18n, *error),
    }
}

/// The error of a device or key name field, checked by the shared rule once
/// the user has `tried` to submit.
pub fn device_name_error(
    i18n: I18nContext<Locale>,
    name: RwSignal<String>,
    tried: RwSignal<bool>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        if !tried.get() {
            return None;
        }
        check_device_name(&name.get())
            .err()
            .map(|problem| error_text(i18n, &AppError::DeviceName(problem)))
    })
}

/// A ticket's situation as *Nous contacter* names it (rule U1).
pub fn situation_text(i18n: I18nContext<Locale>, situation: Situation) -> &'static str {
    match situation {
        Situation::LoginProblem => t_string!(i18n, ticket.situation_login_problem),
        Situation::ActivationMail => t_string!(i18n, ticket.situation_activation_mail),
        Situation::LoginCode => t_string!(i18n, ticket.situation_login_code),
        Situation::LoginAddressChange => t_string!(i18n, ticket.situation_address_change),
        Situation::Other => t_string!(i18n, ticket.situation_other),
    }
}

/// Where a ticket stands, for Support (rule U2).
pub fn ticket_status_text(i18n: I18nContext<Locale>, status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::Open => t_string!(i18n, desk.status_open),
        TicketStatus::Answered => t_string!(i18n, desk.status_answered),
        TicketStatus::Closed => t_string!(i18n, desk.status_closed),
    }
}
