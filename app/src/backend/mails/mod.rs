//! The e-mails of the account lifecycle, in the recipient's language. Texts
//! are translations of their own, for the server only (`texts`,
//! `locales/mail/*.json`); the HTML part is built from the text, escaped,
//! with its links made clickable.

mod address;
mod deactivation;
mod summary;
mod support;
mod technical;
mod texts;
mod tickets;

pub use address::{address_change_link, address_changed};
pub use deactivation::{deactivated, reactivation};
pub use summary::{SummaryLine, weekly_summary};
pub use support::{restored, structure_rejected, suspended};
pub use technical::{technical_password_expiry, technical_password_reset};
pub use tickets::{address_change_by_support, ticket_received, ticket_reply};

use crate::backend::outbox::NewMail;
use crate::domain::preferences::Language;
use leptos_i18n::td_string;
use texts::Locale;

/// What every message needs to know.
pub struct Context<'a> {
    pub language: Language,
    pub product: &'a str,
    pub recipient: &'a str,
}

impl<'a> Context<'a> {
    /// A message to `recipient`, in `language`.
    pub fn to(
        settings: &'a crate::backend::settings::Settings,
        language: Language,
        recipient: &'a str,
    ) -> Self {
        Context {
            language,
            product: &settings.site.product_name,
            recipient,
        }
    }

    /// A message to `user`'s contact address, in their language.
    pub fn for_user(
        settings: &'a crate::backend::settings::Settings,
        user: &'a crate::backend::entities::user::Model,
    ) -> Self {
        let language = Language::parse(&user.language).unwrap_or_default();
        Context::to(settings, language, &user.contact_email)
    }
}

fn locale(language: Language) -> Locale {
    match language {
        Language::Fr => Locale::fr,
        Language::En => Locale::en,
    }
}

pub fn activation(cx: &Context<'_>, name: &str, link: &str, minutes: u32) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.activation_subject, product),
        td_string!(l, mail.activation_text, name, product, link, minutes),
        link,
    )
}

pub fn account_exists(cx: &Context<'_>, link: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.exists_subject, product),
        td_string!(l, mail.exists_text, product, link),
        link,
    )
}

pub fn reset(cx: &Context<'_>, name: &str, link: &str, minutes: u32) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.reset_subject, product),
        td_string!(l, mail.reset_text, name, link, minutes),
        link,
    )
}

pub fn login_code(cx: &Context<'_>, name: &str, code: &str, minutes: u32) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.code_subject, product),
        td_string!(l, mail.code_text, name, code, minutes),
        "",
    )
}

/// A change of authentication factor (rule F4), for the contact address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorChange {
    Password,
    TotpAdded(String),
    TotpRemoved(String),
    KeyAdded(String),
    KeyRemoved(String),
    /// New recovery codes were drawn (the old ones stopped working).
    RecoveryCodesDrawn,
    /// The e-mailed code is no longer accepted as a second factor.
    EmailCodeRefused,
    /// The e-mailed code is accepted again.
    EmailCodeAccepted,
}

/// A login the owner should know of, for the contact address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginNotice {
    /// A recovery code was used; this many are left.
    RecoveryCodeUsed(u64),
    /// A user with an app or a key logged in with the e-mailed code.
    EmailCode,
}

pub fn login_notice(cx: &Context<'_>, name: &str, login: &str, notice: LoginNotice) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let what = match notice {
        LoginNotice::RecoveryCodeUsed(left) => td_string!(l, mail.change_recovery_used, left),
        LoginNotice::EmailCode => td_string!(l, mail.change_email_code_login).to_owned(),
    };
    build(
        cx,
        td_string!(l, mail.login_notice_subject, product),
        td_string!(l, mail.login_notice_text, name, product, login, what),
        "",
    )
}

pub fn factor_changed(cx: &Context<'_>, name: &str, login: &str, change: &FactorChange) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let change = match change {
        FactorChange::Password => td_string!(l, mail.change_password).to_owned(),
        FactorChange::TotpAdded(device) => td_string!(l, mail.change_app_added, device),
        FactorChange::TotpRemoved(device) => td_string!(l, mail.change_app_removed, device),
        FactorChange::KeyAdded(device) => td_string!(l, mail.change_key_added, device),
        FactorChange::KeyRemoved(device) => td_string!(l, mail.change_key_removed, device),
        FactorChange::RecoveryCodesDrawn => td_string!(l, mail.change_recovery_drawn).to_owned(),
        FactorChange::EmailCodeRefused => td_string!(l, mail.change_email_code_refused).to_owned(),
        FactorChange::EmailCodeAccepted => {
            td_string!(l, mail.change_email_code_accepted).to_owned()
        }
    };
    build(
        cx,
        td_string!(l, mail.factor_subject, product),
        td_string!(l, mail.factor_text, name, product, login, change),
        "",
    )
}

/// A new attachment request, for each manager of the structure (rule S5).
pub fn attachment_requested(
    cx: &Context<'_>,
    name: &str,
    requester: &str,
    login: &str,
    structure: &str,
    comment: &str,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.request_subject, product, structure),
        td_string!(
            l,
            mail.request_text,
            name,
            requester,
            login,
            structure,
            comment,
            link
        ),
        link,
    )
}

/// A member asks for more authorisations (rule H4), for each manager of
/// the structure; `applications` names them in the manager's language.
pub fn profile_requested(
    cx: &Context<'_>,
    name: &str,
    requester: &str,
    login: &str,
    structure: &str,
    applications: &str,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.profile_request_subject, product, structure),
        td_string!(
            l,
            mail.profile_request_text,
            name,
            requester,
            login,
            structure,
            applications,
            link
        ),
        link,
    )
}

/// The manager's decision, for the requester (rule S6).
pub fn attachment_decided(
    cx: &Context<'_>,
    name: &str,
    structure: &str,
    approved: bool,
    reason: Option<&str>,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let (subject, outcome) = if approved {
        (
            td_string!(l, mail.approved_subject, product, structure),
            td_string!(l, mail.approved_text, structure),
        )
    } else {
        (
            td_string!(l, mail.rejected_subject, product, structure),
            td_string!(l, mail.rejected_text, structure),
        )
    };
    let reason = reason
        .map(|reason| td_string!(l, mail.decision_reason, reason))
        .unwrap_or_default();
    build(
        cx,
        subject,
        td_string!(l, mail.decision_text, name, outcome, reason, link),
        link,
    )
}

/// Support approved a public entity's structure (rule S10), for its creator.
pub fn structure_approved(cx: &Context<'_>, name: &str, structure: &str, link: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.structure_approved_subject, product, structure),
        td_string!(l, mail.structure_approved_text, name, structure, link),
        link,
    )
}

/// The primary manager's role handed over (rule M3), for the new primary
/// manager.
pub fn transfer_received(
    cx: &Context<'_>,
    name: &str,
    structure: &str,
    former: &str,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.transfer_new_subject, product, structure),
        td_string!(l, mail.transfer_new_text, name, former, structure, link),
        link,
    )
}

/// The primary manager's role handed over (rule M3), for the former one.
pub fn transfer_made(
    cx: &Context<'_>,
    name: &str,
    structure: &str,
    successor: &str,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.transfer_old_subject, product, structure),
        td_string!(l, mail.transfer_old_text, name, structure, successor, link),
        link,
    )
}

/// Attached to a structure by one of its managers (rule M2).
pub fn member_added(
    cx: &Context<'_>,
    name: &str,
    structure: &str,
    manager: &str,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.added_subject, product, structure),
        td_string!(l, mail.added_text, name, manager, structure, link),
        link,
    )
}

/// An invitation to create an account and join a structure (rule M2), for
/// an address without an account; `until` is when it lapses.
pub fn invited(
    cx: &Context<'_>,
    structure: &str,
    manager: &str,
    until: chrono::DateTime<chrono::Utc>,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let email = cx.recipient;
    let until = match cx.language {
        Language::Fr => until.format("%d/%m/%Y"),
        Language::En => until.format("%Y-%m-%d"),
    }
    .to_string();
    build(
        cx,
        td_string!(l, mail.invited_subject, product, structure),
        td_string!(
            l,
            mail.invited_text,
            manager,
            structure,
            product,
            email,
            until,
            link
        ),
        link,
    )
}

fn build(cx: &Context<'_>, subject: String, text: String, link: &str) -> NewMail {
    let html = html_of(&text, link);
    NewMail {
        recipient: cx.recipient.to_owned(),
        subject,
        text_body: text,
        html_body: html,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Paragraphs of escaped text; the paragraph that is exactly `link` becomes
/// a link.
fn html_of(text: &str, link: &str) -> String {
    let body: String = text
        .split("\n\n")
        .map(|paragraph| {
            let escaped = escape(paragraph).replace('\n', "<br>");
            if !link.is_empty() && paragraph.trim() == link {
                format!("<p><a href=\"{escaped}\">{escaped}</a></p>")
            } else {
                format!("<p>{escaped}</p>")
            }
        })
        .collect();
    format!("<!DOCTYPE html><html><body>{body}</body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_translated_escaped_and_linked() {
        let cx = Context {
            language: Language::Fr,
            product: "Facturo",
            recipient: "a@b.fr",
        };
        let mail = activation(&cx, "<Marie>", "http://x/activation?jeton=abc", 60);
        assert_eq!(mail.subject, "[Facturo] Activez votre compte");
        assert!(mail.text_body.contains("Bonjour <Marie>"));
        assert!(mail.text_body.contains("60 minutes"));
        assert!(mail.html_body.contains("Bonjour &lt;Marie&gt;"));
        assert!(
            mail.html_body
                .contains("<a href=\"http://x/activation?jeton=abc\">")
        );

        let cx = Context {
            language: Language::En,
            ..cx
        };
        let mail = login_code(&cx, "Marie", "012345", 10);
        assert_eq!(mail.subject, "[Facturo] Your login code");
        assert!(mail.text_body.contains("Your login code is: 012345"));

        let mail = factor_changed(
            &cx,
            "Marie",
            "m@b.fr",
            &FactorChange::KeyAdded("<Key>".into()),
        );
        assert!(
            mail.text_body
                .contains("The security key “<Key>” was added.")
        );
        assert!(mail.html_body.contains("“&lt;Key&gt;”"));
    }
}
