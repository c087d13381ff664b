//! *Historique de mes demandes* (rule S7): each request with its date, the
//! structure or services asked for, its status, the *Approbateur* (the
//! structure's primary manager) and the manager's reason; a pending request
//! can be cancelled by its author.

use crate::api::attachments::{HistoryRow, cancel_request, request_history};
use crate::components::form::FormMessage;
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::{date_text, error_text, status_text};
use crate::components::page_title::PageTitle;
use crate::domain::attachments::RequestStatus;
use crate::i18n::*;
use crate::pages::authorisations::requests::ProfileRequestHistory;
use leptos::prelude::*;

#[component]
pub fn RequestHistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let message = RwSignal::new(None::<(bool, String)>);
    let list = Resource::new(move || page.get(), request_history);
    let cancel = Action::new(move |id: &i32| cancel_request(*id));
    Effect::new(move |_| {
        if let Some(result) = cancel.value().get() {
            message.set(Some(match result {
                Ok(()) => (false, t_string!(i18n, attach.cancelled).to_owned()),
                Err(error) => (true, error_text(i18n, &error)),
            }));
            list.refetch();
        }
    });
    view! {
        <PageTitle text=move || t_string!(i18n, attach.history_title) />
        <h1>{t!(i18n, attach.nav_history)}</h1>
        <FormMessage message=message />
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, attach.history_none)}</p> }
            lines=Lines::table(
                move || t_string!(i18n, attach.nav_history),
                move || {
                    vec![
                        t_string!(i18n, attach.col_date),
                        t_string!(i18n, attach.col_structure),
                        t_string!(i18n, attach.col_object),
                        t_string!(i18n, attach.col_status),
                        t_string!(i18n, attach.col_approver),
                        t_string!(i18n, attach.col_reason),
                        t_string!(i18n, attach.col_actions),
                    ]
                },
            )
            line=move |row| view! { <HistoryLine row cancel /> }
        />
        <ProfileRequestHistory />
    }
}

#[component]
fn HistoryLine(
    row: HistoryRow,
    cancel: Action<i32, Result<(), crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let services = row.services.join(", ");
    let whole = services.is_empty();
    let name = row.structure.clone();
    let id = row.id;
    view! {
        <tr>
            <td>{move || date_text(i18n, row.created_at)}</td>
            <td>{row.structure.clone()} " (" {row.identifier.clone()} ")"</td>
            <td>
                {move || if whole {
                    t_string!(i18n, attach.whole_structure).to_owned()
                } else {
                    t_string!(i18n, attach.object_services, list = services.clone()).to_string()
                }}
            </td>
            <td>{move || status_text(i18n, row.status)}</td>
            <td>{row.approver.clone().unwrap_or_default()}</td>
            <td>{row.reason.clone().unwrap_or_default()}</td>
            <td>
                {(row.status == RequestStatus::Pending).then(|| {
                    let name = name.clone();
                    view! {
                        <button
                            type="button"
                            class="button-secondary"
                            aria-label=move || t_string!(i18n, attach.cancel_named, name = name.clone()).to_string()
                            on:click=move |_| {
                                cancel.dispatch(id);
                            }
                        >
                            {t!(i18n, attach.cancel)}
                        </button>
                    }
                })}
            </td>
        </tr>
    }
}
