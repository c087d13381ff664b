//! The e-mails of a deactivation (rules P3, P5): the notice to the contact
//! address, and the link that reactivates the account, sent to the login
//! address when *Mot de passe oublié ?* is asked for a deactivated account.

use super::{Context, build, locale};
use crate::backend::outbox::NewMail;
use leptos_i18n::td_string;

/// The account was deactivated by its owner.
pub fn deactivated(cx: &Context<'_>, name: &str, login: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.deactivated_subject, product),
        td_string!(l, mail.deactivated_text, name, product, login),
        "",
    )
}

/// The link that reactivates the account, valid `minutes`.
pub fn reactivation(cx: &Context<'_>, name: &str, link: &str, minutes: u32) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.reactivation_subject, product),
        td_string!(l, mail.reactivation_text, name, product, link, minutes),
        link,
    )
}
