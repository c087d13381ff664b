//! `/support/journal`: the audit log for Support (rules R4, U2), newest
//! first, filtered by user, structure, event and period, a page at a time
//! (*Entrées plus anciennes* follows where the page ends; see
//! `domain::audit`), and exported as CSV with the same filters.

use crate::api::audit::{AuditRow, AuditRows, audit_log};
use crate::components::list_page::Lines;
use crate::components::messages::{date_time_text, error_text};
use crate::components::page_title::PageTitle;
use crate::domain::audit::{AuditFilters, KNOWN_EVENTS, MAX_FILTER_CHARS};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The CSV export's path (`server::exports`).
pub const EXPORT_PATH: &str = "/support/journal.csv";

#[component]
pub fn SupportJournalPage() -> impl IntoView {
    let i18n = use_i18n();
    // The filters a link may bring (`?user=…`, from an account's page).
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let given = |name: &str| query.get(name).unwrap_or_default();
    let linked = AuditFilters {
        user: given("user"),
        structure: given("structure"),
        event: given("event"),
        from: given("from"),
        to: given("to"),
    };
    let typed = RwSignal::new(linked.clone());
    let applied = RwSignal::new(linked);
    // The starts of the pages read so far: the last is the page shown.
    let starts = RwSignal::new(vec![String::new()]);
    let list = Resource::new(
        move || {
            (
                applied.get(),
                starts.with(|s| s.last().cloned().unwrap_or_default()),
            )
        },
        |(f, before)| audit_log(f.user, f.structure, f.event, f.from, f.to, before),
    );
    let filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(typed.get_untracked());
        starts.set(vec![String::new()]);
    };
    let export = move || format!("{EXPORT_PATH}?{}", applied.with(AuditFilters::query_string));
    let field = move |id: &'static str,
                      kind: &'static str,
                      label: fn(I18nContext<Locale>) -> &'static str,
                      get: fn(&AuditFilters) -> &String,
                      set: fn(&mut AuditFilters, String)| {
        view! {
            <div class="field">
                <label for=id>{move || label(i18n)}</label>
                <input
                    id=id
                    type=kind
                    maxlength=MAX_FILTER_CHARS
                    list=(id == "journal-evenement").then_some("journal-evenements")
                    prop:value=move || typed.with(|f| get(f).clone())
                    on:input=move |ev| typed.update(|f| set(f, event_target_value(&ev)))
                />
            </div>
        }
    };
    view! {
        <PageTitle text=move || t_string!(i18n, journal.title) />
        <h1>{t!(i18n, journal.heading)}</h1>
        <form class="filters" role="search" on:submit=filter>
            {field("journal-utilisateur", "email", |i| t_string!(i, journal.filter_user), |f| &f.user, |f, v| f.user = v)}
            {field("journal-structure", "text", |i| t_string!(i, journal.filter_structure), |f| &f.structure, |f, v| f.structure = v)}
            {field("journal-evenement", "text", |i| t_string!(i, journal.filter_event), |f| &f.event, |f, v| f.event = v)}
            <datalist id="journal-evenements">
                {KNOWN_EVENTS.into_iter().map(|e| view! { <option value=e></option> }).collect_view()}
            </datalist>
            {field("journal-du", "date", |i| t_string!(i, journal.filter_from), |f| &f.from, |f, v| f.from = v)}
            {field("journal-au", "date", |i| t_string!(i, journal.filter_to), |f| &f.to, |f, v| f.to = v)}
            <button type="submit" class="button">{t!(i18n, journal.filter)}</button>
        </form>
        <p>
            <a class="button-secondary" href=export download>{t!(i18n, journal.export)}</a>
            " "
            {t!(i18n, journal.export_limit)}
        </p>
        <Transition>
            {move || list.get().map(|result| view! { <Entries result starts /> })}
        </Transition>
    }
}

/// The page of entries, or why there is none, and the way to the others.
#[component]
fn Entries(result: Result<AuditRows, AppError>, starts: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let found = match result {
        Err(error) => return view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
        Ok(found) if found.rows.is_empty() && starts.with(|s| s.len() == 1) => {
            return view! { <p>{t!(i18n, journal.none)}</p> }.into_any();
        }
        Ok(found) => found,
    };
    let lines = Lines::table(
        move || t_string!(i18n, journal.heading),
        move || {
            vec![
                t_string!(i18n, journal.col_when),
                t_string!(i18n, journal.col_event),
                t_string!(i18n, journal.col_actor),
                t_string!(i18n, journal.col_about),
                t_string!(i18n, journal.col_ip),
                t_string!(i18n, journal.col_details),
            ]
        },
    );
    let rows = found
        .rows
        .into_iter()
        .map(|row| view! { <Entry row /> })
        .collect_view();
    let newer = move |_| {
        starts.update(|s| {
            s.pop();
        })
    };
    let next = found.next;
    let has_newer = starts.with(|s| s.len()) > 1;
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, journal.heading)>
            {lines.render(rows.into_any())}
        </div>
        // Only when there is somewhere to go: an empty navigation landmark
        // would be announced for nothing.
        {(has_newer || next.is_some()).then(move || view! {
            <nav class="pagination" aria-label=move || t_string!(i18n, journal.pages)>
                {has_newer.then(|| view! {
                    <button type="button" class="button-secondary" on:click=newer>
                        {t!(i18n, journal.newer)}
                    </button>
                })}
                {next.map(|next| view! {
                    <button type="button" class="button-secondary" on:click=move |_| starts.update(|s| s.push(next.clone()))>
                        {t!(i18n, journal.older)}
                    </button>
                })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn Entry(row: AuditRow) -> impl IntoView {
    let i18n = use_i18n();
    let at = row.occurred_at;
    view! {
        <tr>
            <td>{move || date_time_text(i18n, at)}</td>
            <td><code>{row.event}</code></td>
            <td>{row.actor}</td>
            <td>{row.about}</td>
            <td>{row.client_ip}</td>
            <td class="journal-details">{row.details}</td>
        </tr>
    }
}
