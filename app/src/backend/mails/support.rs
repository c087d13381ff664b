//! What Support's decisions tell the people they concern (rule U2): an
//! account deactivated or reactivated by Support, a public entity's
//! structure refused. Each carries the reason Support typed, so that the
//! person knows why and what to do.

use super::{Context, build, locale};
use crate::backend::outbox::NewMail;
use leptos_i18n::td_string;

/// Support deactivated `name`'s account, for `reason`.
pub fn suspended(cx: &Context<'_>, name: &str, reason: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.suspended_subject, product),
        td_string!(l, mail.suspended_text, name, product, reason),
        "",
    )
}

/// Support reactivated `name`'s account, for `reason`.
pub fn restored(cx: &Context<'_>, name: &str, reason: &str, link: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.restored_subject, product),
        td_string!(l, mail.restored_text, name, product, reason, link),
        link,
    )
}

/// Support refused the structure `structure` that `name` created, for
/// `reason`.
pub fn structure_rejected(cx: &Context<'_>, name: &str, structure: &str, reason: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.structure_rejected_subject, product, structure),
        td_string!(
            l,
            mail.structure_rejected_text,
            name,
            product,
            structure,
            reason
        ),
        "",
    )
}
