//! Support tickets (rule U1): a checked ticket is stored, audited and
//! acknowledged by e-mail with its number, in one transaction. Support's
//! side of them is [`desk`], and [`unblock`] the unblocking procedure.
//!
//! Anyone may write, so the form is the portal's open door to sending
//! e-mail to an address the sender types. Three guards: the proof-of-work
//! captcha (checked by the server function), limits per client address and
//! per answer address ([`TICKETS_PER_CLIENT_PER_HOUR`],
//! [`TICKETS_PER_ADDRESS_PER_DAY`]), and an acknowledgement that never
//! repeats what was typed (the number and the situation only), so the form
//! cannot carry a message of the sender's to someone else.

pub mod desk;
pub mod unblock;

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::{support_ticket, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails::{self, Context};
use crate::backend::outbox;
use crate::backend::secrets::hash_secret;
use crate::backend::state::AppState;
use crate::backend::throttle::{self, Limit, Try};
use crate::domain::preferences::Language;
use crate::domain::tickets::{TicketRefusal, TicketStatus, ValidTicket, ticket_number};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, Set, TransactionTrait};

/// Tickets one client address may send in an hour.
pub const TICKETS_PER_CLIENT_PER_HOUR: u32 = 5;
/// Tickets one answer address may receive in a day.
pub const TICKETS_PER_ADDRESS_PER_DAY: u32 = 5;

/// Stores `ticket` from `sender` (if logged in), written in `language`;
/// answers its number.
pub async fn submit(
    state: &AppState,
    ticket: &ValidTicket,
    sender: Option<&user::Model>,
    language: Language,
    client_ip: &str,
) -> Outcome<String> {
    let now = state.clock.now();
    let limits = [
        (
            format!("ticket-client:{client_ip}"),
            TICKETS_PER_CLIENT_PER_HOUR,
            Duration::hours(1),
        ),
        (
            format!("ticket:{}", hash_secret(&ticket.email)),
            TICKETS_PER_ADDRESS_PER_DAY,
            Duration::days(1),
        ),
    ];
    for (key, max, window) in limits {
        let limit = Limit {
            max,
            window,
            lock: window,
        };
        if let Try::Locked { .. } = throttle::reserve(&state.db, &key, limit, now).await? {
            let entry = AuditEntry {
                actor_user_id: sender.map(|u| u.id),
                event: "support.ticket_limited",
                subject: Subject::Nothing,
                client_ip: Some(client_ip.to_owned()),
                details: serde_json::json!({}),
            };
            audit::record(&state.db, entry, now).await?;
            return refuse(TicketRefusal::TooManyTickets);
        }
    }
    let txn = state.db.begin().await?;
    let row = support_ticket::ActiveModel {
        situation: Set(ticket.situation.code().to_owned()),
        status: Set(TicketStatus::Open.code().to_owned()),
        reply_email: Set(ticket.email.clone()),
        login_address: Set(ticket.login_address.clone()),
        description: Set(ticket.description.clone()),
        user_id: Set(sender.map(|u| u.id)),
        language: Set(Some(language.tag().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let number = ticket_number(row.id);
    let cx = Context::to(&state.settings, language, &ticket.email);
    outbox::enqueue(
        &txn,
        mails::ticket_received(&cx, &number, ticket.situation),
        now,
    )
    .await?;
    let entry = AuditEntry {
        actor_user_id: sender.map(|u| u.id),
        event: "support.ticket_created",
        subject: Subject::Ticket(row.id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "situation": ticket.situation.code() }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(number)
}
