//! The acknowledgement of a support ticket (rule U1): its number and its
//! situation, never the text the sender typed (the form is open to
//! anyone: it must not carry their words to an address they chose). And
//! Support's replies (rule U2), which carry the agent's text.

use super::texts::Locale;
use super::{Context, build, locale};
use crate::backend::outbox::NewMail;
use crate::domain::tickets::Situation;
use leptos_i18n::td_string;

/// The situation as the form names it.
fn situation_label(l: Locale, situation: Situation) -> String {
    match situation {
        Situation::LoginProblem => td_string!(l, ticket.situation_login_problem),
        Situation::ActivationMail => td_string!(l, ticket.situation_activation_mail),
        Situation::LoginCode => td_string!(l, ticket.situation_login_code),
        Situation::LoginAddressChange => td_string!(l, ticket.situation_address_change),
        Situation::Other => td_string!(l, ticket.situation_other),
    }
    .to_owned()
}

/// The ticket `number` was received.
pub fn ticket_received(cx: &Context<'_>, number: &str, situation: Situation) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let situation = situation_label(l, situation);
    build(
        cx,
        td_string!(l, mail.ticket_subject, product, number),
        td_string!(l, mail.ticket_text, product, situation, number),
        "",
    )
}

/// Support's `reply` to ticket `number`.
pub fn ticket_reply(cx: &Context<'_>, number: &str, reply: &str) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.ticket_reply_subject, product, number),
        td_string!(l, mail.ticket_reply_text, product, number, reply),
        "",
    )
}

/// To the current login address: Support, from ticket `number`, has sent a
/// link that would make `new_address` the login address (rule U2).
pub fn address_change_by_support(
    cx: &Context<'_>,
    name: &str,
    new_address: &str,
    number: &str,
    hours: u32,
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    build(
        cx,
        td_string!(l, mail.support_address_subject, product),
        td_string!(
            l,
            mail.support_address_text,
            name,
            product,
            number,
            new_address,
            hours
        ),
        "",
    )
}
