//! Support's page (rules S10, U2): the public entities' structures waiting
//! for approval, oldest first, each with *Valider* and *Refuser* (which
//! asks the reason told to the creator). Anyone else is refused by the
//! server and reads why.

use crate::api::support::{AwaitingRow, approve_structure, awaiting_structures, reject_structure};
use crate::components::form::{FormMessage, focus_soon};
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::{date_text, error_text};
use crate::components::page_title::PageTitle;
use crate::i18n::*;
use crate::pages::support::reason::ReasonForm;
use leptos::prelude::*;

/// The structure being refused: id and name.
type Refusing = RwSignal<Option<(i32, String)>>;

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
    let refusing: Refusing = RwSignal::new(None);
    view! {
        <PageTitle text=move || t_string!(i18n, attach.support_title) />
        <h1>{t!(i18n, attach.support_heading)}</h1>
        <FormMessage message=message />
        {move || refusing.get().map(|(id, name)| view! {
            <RefusalForm id name refusing message list />
        })}
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
            line=move |row| view! { <AwaitingLine row approve refusing /> }
        />
    }
}

#[component]
fn AwaitingLine(
    row: AwaitingRow,
    approve: Action<(i32, String), (String, Result<(), crate::error::AppError>)>,
    refusing: Refusing,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, name) = (row.id, row.name.clone());
    let label = {
        let name = name.clone();
        move || t_string!(i18n, attach.support_approve_named, name = name.clone()).to_string()
    };
    let refuse_label = {
        let name = name.clone();
        move || t_string!(i18n, attach.support_reject_named, name = name.clone()).to_string()
    };
    let refused_name = name.clone();
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
                " "
                <button type="button" class="button-secondary" aria-label=refuse_label on:click=move |_| {
                    refusing.set(Some((id, refused_name.clone())));
                    focus_soon("#motif-refus");
                }>
                    {t!(i18n, attach.support_reject)}
                </button>
            </td>
        </tr>
    }
}

/// *Refuser la structure*: the reason told to its creator.
#[component]
fn RefusalForm(
    id: i32,
    name: String,
    refusing: Refusing,
    message: RwSignal<Option<(bool, String)>>,
    list: Resource<Result<crate::api::attachments::Page<AwaitingRow>, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = Action::new(move |reason: &String| reject_structure(id, reason.clone()));
    let heading = {
        let name = name.clone();
        move || t_string!(i18n, attach.support_reject_heading, name = name.clone()).to_string()
    };
    let done = Callback::new(move |()| {
        let text = t_string!(i18n, attach.support_rejected, name = name.clone()).to_string();
        message.set(Some((false, text)));
        refusing.set(None);
        list.refetch();
    });
    view! {
        <section class="panel" aria-labelledby="refus-titre">
            <h2 id="refus-titre">{heading}</h2>
            <ReasonForm
                id="motif-refus"
                submit=Signal::derive(move || t_string!(i18n, attach.support_reject_confirm).to_owned())
                action
                message
                done
                cancel=Callback::new(move |()| refusing.set(None))
            />
        </section>
    }
}
