//! Profile requests on the pages that list requests (rules H4, S7): the
//! managers' *Demandes à traiter* shows the pending ones of the structures
//! they manage, with *Approuver* and *Refuser*; *Historique de mes
//! demandes* shows the caller's own, with their status and *Approbateur*.

use super::{label_text, level_text};
use crate::api::authorisations::{
    ProfileRequestRow, decide_profile_request, my_profile_requests, pending_profile_requests,
};
use crate::components::form::FormMessage;
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::{date_text, error_text, status_text};
use crate::i18n::*;
use leptos::prelude::*;

/// The pending profile requests a manager decides.
#[component]
pub fn PendingProfileRequests() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let message = RwSignal::new(None::<(bool, String)>);
    let list = Resource::new(move || page.get(), pending_profile_requests);
    let decide = Action::new(move |(id, approve, name): &(i32, bool, String)| {
        let (id, approve, name) = (*id, *approve, name.clone());
        async move { (approve, name, decide_profile_request(id, approve).await) }
    });
    Effect::new(move |_| {
        if let Some((approved, name, result)) = decide.value().get() {
            message.set(Some(match result {
                Ok(()) if approved => (false, t_string!(i18n, attach.approved, name).to_string()),
                Ok(()) => (false, t_string!(i18n, attach.rejected, name).to_string()),
                Err(error) => (true, error_text(i18n, &error)),
            }));
            list.refetch();
        }
    });
    view! {
        <h2>{t!(i18n, authz.requests_heading)}</h2>
        <FormMessage message=message />
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, authz.requests_none)}</p> }
            lines=Lines::table(
                move || t_string!(i18n, authz.requests_heading),
                move || {
                    vec![
                        t_string!(i18n, attach.col_date),
                        t_string!(i18n, attach.col_requester),
                        t_string!(i18n, attach.col_structure),
                        t_string!(i18n, authz.col_asked),
                        t_string!(i18n, attach.col_actions),
                    ]
                },
            )
            line=move |row: ProfileRequestRow| {
                let who = format!("{} ({})", row.requester, label_text(i18n, &row.application));
                let approve_label = {
                    let who = who.clone();
                    move || t_string!(i18n, attach.approve_named, name = who.clone()).to_string()
                };
                let reject_label = {
                    let who = who.clone();
                    move || t_string!(i18n, attach.reject_named, name = who.clone()).to_string()
                };
                let id = row.id;
                let level = row.level;
                let application = row.application.clone();
                let (approve_name, reject_name) = (who.clone(), who);
                view! {
                    <tr>
                        <td>{move || date_text(i18n, row.created_at)}</td>
                        <th scope="row">{row.requester.clone()}</th>
                        <td>{row.structure.clone()} " (" {row.identifier.clone()} ")"</td>
                        <td>{move || format!("{} – {}", label_text(i18n, &application), level_text(i18n, level))}</td>
                        <td>
                            <button type="button" class="button" aria-label=approve_label on:click=move |_| {
                                decide.dispatch((id, true, approve_name.clone()));
                            }>
                                {t!(i18n, attach.approve)}
                            </button>
                            " "
                            <button type="button" class="button-secondary" aria-label=reject_label on:click=move |_| {
                                decide.dispatch((id, false, reject_name.clone()));
                            }>
                                {t!(i18n, attach.reject)}
                            </button>
                        </td>
                    </tr>
                }
                .into_any()
            }
        />
    }
}

/// The caller's own profile requests and where they stand.
#[component]
pub fn ProfileRequestHistory() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let list = Resource::new(move || page.get(), my_profile_requests);
    view! {
        <h2>{t!(i18n, authz.history_heading)}</h2>
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, authz.history_none)}</p> }
            lines=Lines::table(
                move || t_string!(i18n, authz.history_heading),
                move || {
                    vec![
                        t_string!(i18n, attach.col_date),
                        t_string!(i18n, attach.col_structure),
                        t_string!(i18n, authz.col_asked),
                        t_string!(i18n, attach.col_status),
                        t_string!(i18n, attach.col_approver),
                    ]
                },
            )
            line=move |row: ProfileRequestRow| {
                let application = row.application.clone();
                let level = row.level;
                let status = row.status;
                view! {
                    <tr>
                        <td>{move || date_text(i18n, row.created_at)}</td>
                        <td>{row.structure.clone()} " (" {row.identifier.clone()} ")"</td>
                        <td>{move || format!("{} – {}", label_text(i18n, &application), level_text(i18n, level))}</td>
                        <td>{move || status_text(i18n, status)}</td>
                        <td>{row.approver.clone().unwrap_or_default()}</td>
                    </tr>
                }
                .into_any()
            }
        />
    }
}
