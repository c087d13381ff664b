//! `/support/tickets/:id`: one ticket as Support reads it (what the sender
//! wrote, where to answer, the login address concerned) with its thread,
//! and Support's acts: *Envoyer la réponse* (e-mailed to the sender),
//! *Clore le ticket*, *Rouvrir le ticket*. The acts a status allows are the
//! only ones offered; the server checks them again (another agent may have
//! moved the ticket meanwhile).

use super::unblock::UnblockSection;
use crate::api::desk::{TicketDetails, move_ticket, reply_ticket, support_ticket};
use crate::components::form::{FormMessage, TextAreaField};
use crate::components::messages::{
    date_time_text, error_text, field_problem_text, situation_text, ticket_status_text,
};
use crate::components::page_title::PageTitle;
use crate::domain::support::check_reply;
use crate::domain::tickets::{SupportAct, TicketStatus};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

const BACK: &str = "/support/tickets";

#[component]
pub fn SupportTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let ticket = Resource::new(id, support_ticket);
    let message = RwSignal::new(None::<(bool, String)>);
    view! {
        <PageTitle text=move || t_string!(i18n, desk.ticket_title) />
        <Transition>
            {move || match ticket.get() {
                None => None,
                Some(Err(error)) => Some(
                    view! {
                        <h1>{t!(i18n, desk.ticket_title)}</h1>
                        <p role="alert">{error_text(i18n, &error)}</p>
                        <p><A href=BACK>{t!(i18n, desk.back)}</A></p>
                    }
                        .into_any(),
                ),
                Some(Ok(details)) => Some(
                    view! { <TicketView details message reload=Callback::new(move |()| ticket.refetch()) /> }
                        .into_any(),
                ),
            }}
        </Transition>
    }
}

#[component]
fn TicketView(
    details: TicketDetails,
    message: RwSignal<Option<(bool, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let TicketDetails {
        id,
        number,
        situation,
        status,
        reply_email,
        login_address,
        description,
        sender,
        account,
        created_at,
        thread,
    } = details;
    let unblock = account
        .filter(|_| status != TicketStatus::Closed)
        .map(|account| {
            let suggested = reply_email.clone();
            view! { <UnblockSection id account suggested message /> }
        });
    let heading = {
        let number = number.clone();
        move || t_string!(i18n, desk.ticket_heading, number = number.clone()).to_string()
    };
    let thread = if thread.is_empty() {
        view! { <p>{t!(i18n, desk.no_reply)}</p> }.into_any()
    } else {
        view! {
            <ol class="ticket-thread">
                {thread
                    .into_iter()
                    .map(|m| {
                        view! {
                            <li>
                                <p class="ticket-meta">{m.author} " – " {move || date_time_text(i18n, m.at)}</p>
                                <p class="ticket-text">{m.body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let acts = if status == TicketStatus::Closed {
        view! { <MoveButton id act=SupportAct::Reopen message reload /> }.into_any()
    } else {
        view! {
            <ReplyForm id message reload />
            <MoveButton id act=SupportAct::Close message reload />
        }
        .into_any()
    };
    view! {
        <h1>{heading}</h1>
        <FormMessage message />
        <dl class="details">
            <dt>{t!(i18n, desk.col_situation)}</dt>
            <dd>{move || situation_text(i18n, situation)}</dd>
            <dt>{t!(i18n, desk.col_status)}</dt>
            <dd>{move || ticket_status_text(i18n, status)}</dd>
            <dt>{t!(i18n, desk.col_email)}</dt>
            <dd>{reply_email}</dd>
            {login_address.map(|address| view! {
                <dt>{t!(i18n, ticket.login_address)}</dt>
                <dd>{address}</dd>
            })}
            <dt>{t!(i18n, desk.sender)}</dt>
            <dd>{sender.unwrap_or_else(|| t_string!(i18n, desk.visitor).to_owned())}</dd>
            <dt>{t!(i18n, desk.col_received)}</dt>
            <dd>{move || date_time_text(i18n, created_at)}</dd>
        </dl>
        <h2>{t!(i18n, ticket.description)}</h2>
        <p class="ticket-text">{description}</p>
        <h2>{t!(i18n, desk.thread)}</h2>
        {thread}
        <div class="actions">{acts}</div>
        {unblock}
        <p><A href=BACK>{t!(i18n, desk.back)}</A></p>
    }
}

/// *Votre réponse* and *Envoyer la réponse*.
#[component]
fn ReplyForm(
    id: i32,
    message: RwSignal<Option<(bool, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let send = Action::new(move |reply: &String| reply_ticket(id, reply.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(())) => {
            text.set(String::new());
            message.set(Some((false, t_string!(i18n, desk.replied).to_owned())));
            reload.run(());
        }
        Some(Err(AppError::Reply(found))) => problem.set(Some(field_problem_text(i18n, found))),
        Some(Err(error)) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_reply(&text.get_untracked()) {
            Ok(reply) => {
                problem.set(None);
                send.dispatch(reply);
            }
            Err(found) => problem.set(Some(field_problem_text(i18n, found))),
        }
    };
    view! {
        <form class="ticket-reply" on:submit=submit novalidate>
            <TextAreaField
                id="reponse"
                label=Signal::derive(move || t_string!(i18n, desk.reply).to_owned())
                value=text
                error=problem
                rows=6
            />
            <button type="submit" class="button" disabled=move || send.pending().get()>
                {t!(i18n, desk.send_reply)}
            </button>
        </form>
    }
}

/// *Clore le ticket* or *Rouvrir le ticket*.
#[component]
fn MoveButton(
    id: i32,
    act: SupportAct,
    message: RwSignal<Option<(bool, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let run = Action::new(move |act: &SupportAct| move_ticket(id, *act));
    Effect::new(move |_| match run.value().get() {
        Some(Ok(())) => {
            let done = match act {
                SupportAct::Reopen => t_string!(i18n, desk.reopened),
                _ => t_string!(i18n, desk.closed),
            };
            message.set(Some((false, done.to_owned())));
            reload.run(());
        }
        Some(Err(error)) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    view! {
        <button
            type="button"
            class="button-secondary"
            disabled=move || run.pending().get()
            on:click=move |_| {
                run.dispatch(act);
            }
        >
            {move || match act {
                SupportAct::Reopen => t_string!(i18n, desk.reopen),
                _ => t_string!(i18n, desk.close),
            }}
        </button>
    }
}
