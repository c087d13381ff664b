//! *Demandes de rattachement à traiter* (rules S6, H5): the pending requests
//! of the structures the user manages, each with the requester, the
//! comment, the services asked for, an optional reason, *Approuver* and
//! *Refuser*; then the profile requests of the same structures (rule H4,
//! `pages::authorisations::requests`). The server decides who may see and
//! decide them.

use crate::api::approvals::{PendingRow, decide_request, pending_requests};
use crate::components::form::FormMessage;
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::{date_text, error_text};
use crate::components::page_title::PageTitle;
use crate::i18n::*;
use crate::pages::authorisations::requests::PendingProfileRequests;
use leptos::prelude::*;

#[component]
pub fn PendingRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let message = RwSignal::new(None::<(bool, String)>);
    let list = Resource::new(move || page.get(), pending_requests);
    let report = Callback::new(move |outcome: (bool, String)| {
        message.set(Some(outcome));
        list.refetch();
    });
    view! {
        <PageTitle text=move || t_string!(i18n, attach.decide_title) />
        <h1>{t!(i18n, attach.decide_heading)}</h1>
        <FormMessage message=message />
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, attach.decide_none)}</p> }
            lines=Lines::Panels
            line=move |row| view! { <PendingItem row report /> }
        />
        <PendingProfileRequests />
    }
}

#[component]
fn PendingItem(row: PendingRow, report: Callback<(bool, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let id = row.id;
    let requester = row.requester.clone();
    // The answer carries the choice: an action's input is gone once it ends.
    let decide = Action::new(move |approve: &bool| {
        let approve = *approve;
        let reason = reason.get_untracked();
        async move { (approve, decide_request(id, approve, reason).await) }
    });
    Effect::new({
        let requester = requester.clone();
        move |_| {
            let Some((approved, result)) = decide.value().get() else {
                return;
            };
            let name = requester.clone();
            report.run(match result {
                Ok(()) if approved => (false, t_string!(i18n, attach.approved, name).to_string()),
                Ok(()) => (false, t_string!(i18n, attach.rejected, name).to_string()),
                Err(error) => (true, error_text(i18n, &error)),
            });
        }
    });
    let heading_id: String = format!("demande-{id}");
    let labelled_by = heading_id.clone();
    let reason_id = format!("motif-{id}");
    let services = row.services.join(", ");
    let whole = services.is_empty();
    let approve_label = {
        let name = requester.clone();
        move || t_string!(i18n, attach.approve_named, name = name.clone()).to_string()
    };
    let reject_label = {
        let name = requester.clone();
        move || t_string!(i18n, attach.reject_named, name = name.clone()).to_string()
    };
    let reason_label =
        move || t_string!(i18n, attach.reason_label, name = requester.clone()).to_string();
    view! {
        <li class="panel" aria-labelledby=labelled_by>
            <h2 id=heading_id>{row.requester.clone()} " – " {row.structure.clone()}</h2>
            <dl class="details">
                <dt>{t!(i18n, attach.col_requester)}</dt>
                <dd>{row.requester.clone()} " (" {row.requester_login.clone()} ")"</dd>
                <dt>{t!(i18n, attach.col_structure)}</dt>
                <dd>{row.structure.clone()} " (" {row.identifier.clone()} ")"</dd>
                <dt>{t!(i18n, attach.col_object)}</dt>
                <dd>
                    {move || if whole {
                        t_string!(i18n, attach.whole_structure).to_owned()
                    } else {
                        t_string!(i18n, attach.object_services, list = services.clone()).to_string()
                    }}
                </dd>
                <dt>{t!(i18n, attach.col_date)}</dt>
                <dd>{move || date_text(i18n, row.created_at)}</dd>
                <dt>{t!(i18n, attach.col_comment)}</dt>
                <dd>{row.comment.clone()}</dd>
            </dl>
            <div class="field">
                <label for=reason_id.clone()>{reason_label}</label>
                <textarea
                    id=reason_id
                    rows="2"
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="actions">
                <button type="button" class="button" aria-label=approve_label disabled=move || decide.pending().get() on:click=move |_| {
                    decide.dispatch(true);
                }>
                    {t!(i18n, attach.approve)}
                </button>
                <button type="button" class="button-secondary" aria-label=reject_label disabled=move || decide.pending().get() on:click=move |_| {
                    decide.dispatch(false);
                }>
                    {t!(i18n, attach.reject)}
                </button>
            </div>
        </li>
    }
}
