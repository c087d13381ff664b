//! `/support/tickets`: the queue of tickets from *Nous contacter*, newest
//! first, filtered by status and situation, searched by address or number,
//! a page at a time.

use crate::api::desk::{TicketRow, support_tickets};
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::{date_text, situation_text, ticket_status_text};
use crate::components::page_title::PageTitle;
use crate::domain::tickets::{Situation, TicketStatus};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The filters as chosen (codes; empty: any).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    status: String,
    situation: String,
    search: String,
}

#[component]
pub fn SupportTicketsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let filters = RwSignal::new(Filters::default());
    // What the form shows until *Rechercher* applies it.
    let typed = RwSignal::new(Filters::default());
    let list = Resource::new(
        move || (filters.get(), page.get()),
        |(f, page)| support_tickets(f.status, f.situation, f.search, page),
    );
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        filters.set(typed.get_untracked());
        page.set(0);
    };
    view! {
        <PageTitle text=move || t_string!(i18n, desk.queue_title) />
        <h1>{t!(i18n, desk.queue_heading)}</h1>
        <form class="filters" role="search" on:submit=search>
            <div class="field">
                <label for="filtre-statut">{t!(i18n, desk.filter_status)}</label>
                <select
                    id="filtre-statut"
                    prop:value=move || typed.with(|f| f.status.clone())
                    on:change=move |ev| typed.update(|f| f.status = event_target_value(&ev))
                >
                    <option value="">{t!(i18n, desk.any_status)}</option>
                    {TicketStatus::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.code()>{move || ticket_status_text(i18n, s)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-situation">{t!(i18n, desk.filter_situation)}</label>
                <select
                    id="filtre-situation"
                    prop:value=move || typed.with(|f| f.situation.clone())
                    on:change=move |ev| typed.update(|f| f.situation = event_target_value(&ev))
                >
                    <option value="">{t!(i18n, desk.any_situation)}</option>
                    {Situation::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.code()>{move || situation_text(i18n, s)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-recherche">{t!(i18n, desk.filter_search)}</label>
                <input
                    id="filtre-recherche"
                    type="search"
                    maxlength="100"
                    prop:value=move || typed.with(|f| f.search.clone())
                    on:input=move |ev| typed.update(|f| f.search = event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button">{t!(i18n, desk.search)}</button>
        </form>
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, desk.none)}</p> }
            lines=Lines::table(
                move || t_string!(i18n, desk.queue_heading),
                move || {
                    vec![
                        t_string!(i18n, desk.col_number),
                        t_string!(i18n, desk.col_situation),
                        t_string!(i18n, desk.col_status),
                        t_string!(i18n, desk.col_email),
                        t_string!(i18n, desk.col_received),
                    ]
                },
            )
            line=move |row| view! { <TicketLine row /> }
        />
    }
}

#[component]
fn TicketLine(row: TicketRow) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/support/tickets/{}", row.id);
    view! {
        <tr>
            <td><A href=href>{row.number.clone()}</A></td>
            <td>{move || situation_text(i18n, row.situation)}</td>
            <td>{move || ticket_status_text(i18n, row.status)}</td>
            <td>{row.reply_email.clone()}</td>
            <td>{move || date_text(i18n, row.created_at)}</td>
        </tr>
    }
}
