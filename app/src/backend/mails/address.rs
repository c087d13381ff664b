//! The e-mails of an address change (rules P1, P3, P6): the link to the new
//! address, then the notice once it is used (for a login address to both
//! addresses, for a contact address to the old one).

use super::{Context, build, locale};
use crate::backend::outbox::NewMail;
use crate::domain::address_change::AddressKind;
use leptos_i18n::td_string;

/// The confirmation link, to the new address; valid `hours`.
pub fn address_change_link(
    cx: &Context<'_>,
    kind: AddressKind,
    name: &str,
    new_address: &str,
    link: &str,
    hours: u32,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let (subject, text) = match kind {
        AddressKind::Login => (
            td_string!(l, mail.address_link_subject, product),
            td_string!(
                l,
                mail.address_link_text,
                name,
                product,
                new_address,
                link,
                hours
            ),
        ),
        AddressKind::Contact => (
            td_string!(l, mail.contact_link_subject, product),
            td_string!(
                l,
                mail.contact_link_text,
                name,
                product,
                new_address,
                link,
                hours
            ),
        ),
    };
    build(cx, subject, text, link)
}

/// The change is made: to the old address (`to_old`, which would learn of
/// a change it did not ask for) or to the new one.
pub fn address_changed(
    cx: &Context<'_>,
    kind: AddressKind,
    name: &str,
    new_address: &str,
    to_old: bool,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let (subject, text) = match (kind, to_old) {
        (AddressKind::Login, true) => (
            td_string!(l, mail.address_changed_subject, product),
            td_string!(l, mail.address_changed_old_text, name, product, new_address),
        ),
        (AddressKind::Login, false) => (
            td_string!(l, mail.address_changed_subject, product),
            td_string!(l, mail.address_changed_new_text, name, product, new_address),
        ),
        (AddressKind::Contact, _) => (
            td_string!(l, mail.contact_changed_subject, product),
            td_string!(l, mail.contact_changed_text, name, product, new_address),
        ),
    };
    build(cx, subject, text, "")
}
