//! Support's ticket desk (rule U2): the queue, a ticket with its thread, and
//! the acts that move a ticket (`domain::tickets`: reply, close, reopen).
//! Every function takes the checked Support [`Agent`].
//!
//! Two agents may act on one ticket at once. An act moves the ticket with
//! one conditional update, `WHERE status IN (<the statuses it applies
//! to>)`, as the **first** statement of the transaction that also writes
//! the reply, its e-mail and the audit entry: the second of two *Clore*
//! finds nothing to update and is refused (`TicketRefusal::StatusChanged`),
//! and nothing of it is written. Writing first also lets SQLite make the
//! second transaction wait for the first rather than fail: a transaction
//! that read before writing cannot wait there (see
//! `notifications::summary`).

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::db::contains;
use crate::backend::db::page_of;
use crate::backend::entities::{support_ticket, ticket_message, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails::{self, Context};
use crate::backend::outbox;
use crate::backend::state::AppState;
use crate::backend::support::Agent;
use crate::domain::preferences::Language;
use crate::domain::refusal::Refusal;
use crate::domain::support::TicketQuery;
use crate::domain::tickets::{SupportAct, TicketRefusal, ticket_number};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

/// A ticket as Support reads it: the sender's account (if they were logged
/// in) and the replies, oldest first, with their authors.
#[derive(Debug, Clone)]
pub struct TicketFile {
    pub ticket: support_ticket::Model,
    pub sender: Option<user::Model>,
    pub thread: Vec<(ticket_message::Model, Option<user::Model>)>,
}

/// A page of the tickets matching `query`, newest first, and how many match.
/// The search finds part of the answer address or of the login address
/// concerned, or a ticket by its number.
pub async fn queue(
    state: &AppState,
    _agent: &Agent,
    query: &TicketQuery,
    page: u64,
    per_page: u64,
) -> Outcome<(Vec<support_ticket::Model>, u64)> {
    let mut select = support_ticket::Entity::find();
    if let Some(status) = query.status {
        select = select.filter(support_ticket::Column::Status.eq(status.code()));
    }
    if let Some(situation) = query.situation {
        select = select.filter(support_ticket::Column::Situation.eq(situation.code()));
    }
    if !query.search.is_empty() {
        let mut any = Condition::any()
            .add(support_ticket::Column::ReplyEmail.like(contains(&query.search)))
            .add(support_ticket::Column::LoginAddress.like(contains(&query.search)));
        if let Some(id) = query.number() {
            any = any.add(support_ticket::Column::Id.eq(id));
        }
        select = select.filter(any);
    }
    let select = select.order_by_desc(support_ticket::Column::Id);
    Ok(page_of(&state.db, select, page, per_page).await?)
}

/// Ticket `id` with its sender and thread; *not found* when there is none.
pub async fn open(state: &AppState, _agent: &Agent, id: i32) -> Outcome<TicketFile> {
    let Some(ticket) = support_ticket::Entity::find_by_id(id)
        .one(&state.db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let messages = ticket_message::Entity::find()
        .filter(ticket_message::Column::TicketId.eq(id))
        .order_by_asc(ticket_message::Column::Id)
        .all(&state.db)
        .await?;
    let mut people: Vec<i32> = messages.iter().filter_map(|m| m.author_user_id).collect();
    people.extend(ticket.user_id);
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(&state.db)
        .await?;
    let find = |id: Option<i32>| people.iter().find(|u| Some(u.id) == id).cloned();
    let sender = find(ticket.user_id);
    let thread = messages
        .into_iter()
        .map(|message| {
            let author = find(message.author_user_id);
            (message, author)
        })
        .collect();
    Ok(TicketFile {
        ticket,
        sender,
        thread,
    })
}

/// Support's `reply` (already checked by `domain::support::check_reply`)
/// to ticket `id`: kept in its thread and e-mailed to its answer address, in
/// the sender's language; the ticket is then *answered*.
pub async fn reply(
    state: &AppState,
    agent: &Agent,
    id: i32,
    reply: &str,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let ticket = move_ticket(&txn, id, SupportAct::Reply, now).await?;
    ticket_message::ActiveModel {
        ticket_id: Set(id),
        author_user_id: Set(Some(agent.id())),
        body: Set(reply.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let language = ticket.language.as_deref().and_then(Language::parse);
    let cx = Context::to(
        &state.settings,
        language.unwrap_or_default(),
        &ticket.reply_email,
    );
    let number = ticket_number(id);
    outbox::enqueue(&txn, mails::ticket_reply(&cx, &number, reply), now).await?;
    audit::record(
        &txn,
        entry(agent, id, "support.ticket_replied", client_ip),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// *Clore* or *Rouvrir* ticket `id` (a reply goes through [`reply`]).
pub async fn set_status(
    state: &AppState,
    agent: &Agent,
    id: i32,
    act: SupportAct,
    client_ip: &str,
) -> Outcome<()> {
    let event = match act {
        SupportAct::Close => "support.ticket_closed",
        SupportAct::Reopen => "support.ticket_reopened",
        SupportAct::Reply => return refuse(Refusal::NotAllowed),
    };
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    move_ticket(&txn, id, act, now).await?;
    audit::record(&txn, entry(agent, id, event, client_ip), now).await?;
    txn.commit().await?;
    Ok(())
}

/// Moves ticket `id` by `act` (the transaction's first write; see the
/// module's documentation) and answers it as it now stands.
async fn move_ticket<C: ConnectionTrait>(
    txn: &C,
    id: i32,
    act: SupportAct,
    now: chrono::DateTime<chrono::Utc>,
) -> Outcome<support_ticket::Model> {
    let from: Vec<&str> = act.applies_to().into_iter().map(|s| s.code()).collect();
    let moved = support_ticket::Entity::update_many()
        .col_expr(
            support_ticket::Column::Status,
            Expr::value(act.leads_to().code()),
        )
        .col_expr(support_ticket::Column::UpdatedAt, Expr::value(now))
        .filter(support_ticket::Column::Id.eq(id))
        .filter(support_ticket::Column::Status.is_in(from))
        .exec(txn)
        .await?;
    let ticket = support_ticket::Entity::find_by_id(id).one(txn).await?;
    match ticket {
        None => refuse(Refusal::NotFound),
        Some(_) if moved.rows_affected != 1 => refuse(TicketRefusal::StatusChanged),
        Some(ticket) => Ok(ticket),
    }
}

fn entry(agent: &Agent, id: i32, event: &'static str, client_ip: &str) -> AuditEntry<'static> {
    AuditEntry {
        actor_user_id: Some(agent.id()),
        event,
        subject: Subject::Ticket(id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "number": ticket_number(id) }),
    }
}
