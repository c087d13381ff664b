//! The e-mail of a technical user's password reset (rule T3), to the
//! structure's primary manager. It names the account, never the password,
//! which is shown once on the page that reset it.

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
