//! The e-mails about a technical user's password, to the structure's
//! primary manager: its reset (rule T3) and its coming expiry (issue 17).
//! They name the account, never the password, which is shown once on the
//! page that set it.

use super::{Context, build, locale};
use crate::backend::outbox::NewMail;
use leptos_i18n::td_string;

/// The password of the technical user `login` was reset.
pub fn technical_password_reset(cx: &Context<'_>, name: &str, login: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.technical_reset_subject, product),
        td_string!(l, mail.technical_reset_text, name, product, login),
        "",
    )
}

/// The password of the technical user `login` expires in `days` days, on
/// `date` (issue 17: 30 and 7 days before); `link` opens *Compte technique*.
pub fn technical_password_expiry(
    cx: &Context<'_>,
    name: &str,
    login: &str,
    days: i64,
    date: &str,
    link: &str,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.technical_expiry_subject, product),
        td_string!(l, mail.technical_expiry_text, name, login, days, date, link),
        link,
    )
}
