//! Support's page (rules S10, U2): the public entities' structures waiting
//! for approval, oldest first, each with *Valider*. Anyone else is refused
//! by the server and reads why.

use crate::api::support::{AwaitingRow, approve_structure, awaiting_structures};
use crate::components::form::FormMessage;
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::{date_text, error_text};
use crate::components::page_title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn SupportStructuresPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let message = RwSignal::new(None::<(bool, String)>);
    let list = Resource::new(move || page.get(), awaiting_structures);
    // The answer carries the name: an action's input is gone once it ends.
    let approve = Action::new(move |(id, name): &(i32, String)| {
        let (id, name) = (*id, name.clone());
        async move { (name, approve_structure(id).await) }
    });
    Effect::new(move |_| {
        let Some((name, result)) = approve.value().get() else {
            return;
        };
        message.set(Some(match result {
            Ok(()) => (
                false,
                t_string!(i18n, attach.support_approved, name).to_string(),
            ),
            Err(error) => (true, error_text(i18n, &error)),
        }));
        list.refetch();
    });
    view! {
        <PageTitle text=move || t_string!(i18n, attach.support_title) />
        <h1>{t!(i18n, attach.support_heading)}</h1>
        <FormMessage message=message />
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, attach.support_none)}</p> }
            lines=Lines::table(
                move || t_string!(i18n, attach.support_heading),
                move || {
                    vec![
                        t_string!(i18n, structures.col_identifier),
                        t_string!(i18n, structures.col_name),
                        t_string!(i18n, structures.col_created),
                        t_string!(i18n, attach.col_creator),
                        t_string!(i18n, attach.col_actions),
                    ]
                },
            )
            line=move |row| view! { <AwaitingLine row approve /> }
        />
    }
}

#[component]
fn AwaitingLine(
    row: AwaitingRow,
    approve: Action<(i32, String), (String, Result<(), crate::error::AppError>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, name) = (row.id, row.name.clone());
    let label = {
        let name = name.clone();
        move || t_string!(i18n, attach.support_approve_named, name = name.clone()).to_string()
    };
    view! {
        <tr>
            <td>{row.identifier.clone()}</td>
            <td>{row.name.clone()}</td>
            <td>{move || date_text(i18n, row.created_at)}</td>
            <td>{row.creator.clone()}</td>
            <td>
                <button type="button" class="button" aria-label=label on:click=move |_| {
                    approve.dispatch((id, name.clone()));
                }>
                    {t!(i18n, attach.support_approve)}
                </button>
            </td>
        </tr>
    }
}
