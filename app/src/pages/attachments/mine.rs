//! *Mes rattachements* (rule S8): the user's structures and, for a
//! service-level attachment, its services; *Me détacher* from a structure
//! or from the ticked services (several at once). The primary manager is
//! told to transfer the role first (rule M3); the server refuses it anyway.

use crate::api::attachments::{AttachmentRow, detach_me, my_attachments};
use crate::components::form::FormMessage;
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::error_text;
use crate::components::page_title::PageTitle;
use crate::domain::attachments::Standing;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

pub fn role_text(i18n: I18nContext<Locale>, standing: Standing) -> &'static str {
    match standing {
        Standing::PrimaryManager => t_string!(i18n, attach.role_primary),
        Standing::Manager => t_string!(i18n, attach.role_manager),
        Standing::Member | Standing::Stranger => t_string!(i18n, attach.role_member),
    }
}

#[component]
pub fn MyAttachmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let message = RwSignal::new(None::<(bool, String)>);
    let list = Resource::new(move || page.get(), my_attachments);
    let report = Callback::new(move |outcome: (bool, String)| {
        message.set(Some(outcome));
        list.refetch();
    });
    view! {
        <PageTitle text=move || t_string!(i18n, attach.mine_title) />
        <h1>{t!(i18n, attach.nav_attachments)}</h1>
        <p><A href="/rattachements/demander" attr:class="button-link">{t!(i18n, structures.onboarding_request)}</A></p>
        <FormMessage message=message />
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, attach.mine_none)}</p> }
            lines=Lines::Panels
            line=move |row| view! { <AttachmentItem row report /> }
        />
    }
}

/// One structure: its role, its services, and the ways to leave.
#[component]
fn AttachmentItem(row: AttachmentRow, report: Callback<(bool, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let ticked = RwSignal::new(Vec::<i32>::new());
    let structure_id = row.structure_id;
    let name = row.name.clone();
    let leave = Action::new(move |services: &Vec<i32>| detach_me(structure_id, services.clone()));
    Effect::new({
        let name = name.clone();
        move |_| {
            if let Some(result) = leave.value().get() {
                let name = name.clone();
                report.run(match result {
                    Ok(true) => (
                        false,
                        t_string!(i18n, attach.detached_structure, name).to_string(),
                    ),
                    Ok(false) => (
                        false,
                        t_string!(i18n, attach.detached_services, name).to_string(),
                    ),
                    Err(error) => (true, error_text(i18n, &error)),
                });
            }
        }
    });
    let heading_id: String = format!("rattachement-{structure_id}");
    let labelled_by = heading_id.clone();
    let service_level = !row.services.is_empty();
    let may_detach = row.standing.may_detach();
    let leave_all_label = {
        let name = name.clone();
        move || t_string!(i18n, attach.detach_structure, name = name.clone()).to_string()
    };
    let leave_some_label = {
        let name = name.clone();
        move || t_string!(i18n, attach.detach_services_named, name = name.clone()).to_string()
    };
    view! {
        <li class="panel" aria-labelledby=labelled_by>
            <h2 id=heading_id>{row.name.clone()} " (" {row.identifier.clone()} ")"</h2>
            <p>{t!(i18n, attach.col_role)} " : " {move || role_text(i18n, row.standing)}</p>
            {if service_level {
                view! {
                    <fieldset>
                        <legend>{t!(i18n, attach.col_services)}</legend>
                        <ul class="check-list">
                            {row.services.iter().map(|s| {
                                let id = s.id;
                                let input_id = format!("quitter-{structure_id}-{id}");
                                view! {
                                    <li class="checkbox-field">
                                        <input
                                            id=input_id.clone()
                                            type="checkbox"
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                ticked.update(|t| {
                                                    t.retain(|x| *x != id);
                                                    if on {
                                                        t.push(id);
                                                    }
                                                });
                                            }
                                        />
                                        <label for=input_id>{format!("{} – {}", s.code, s.label)}</label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </fieldset>
                    <div class="actions">
                        <button
                            type="button"
                            class="button-secondary"
                            aria-label=leave_some_label
                            on:click=move |_| {
                                let chosen = ticked.get_untracked();
                                if chosen.is_empty() {
                                    report.run((true, t_string!(i18n, attach.detach_pick).to_owned()));
                                } else {
                                    leave.dispatch(chosen);
                                }
                            }
                        >
                            {t!(i18n, attach.detach_services)}
                        </button>
                        <button type="button" class="button-secondary" aria-label=leave_all_label.clone() on:click=move |_| {
                            leave.dispatch(Vec::new());
                        }>
                            {t!(i18n, attach.detach)}
                        </button>
                    </div>
                }
                    .into_any()
            } else if !may_detach {
                view! {
                    <p>{t!(i18n, attach.whole_structure)}</p>
                    <p class="notice">{t!(i18n, attach.primary_note)}</p>
                }
                    .into_any()
            } else {
                view! {
                    <p>{t!(i18n, attach.whole_structure)}</p>
                    <div class="actions">
                        <button type="button" class="button-secondary" aria-label=leave_all_label on:click=move |_| {
                            leave.dispatch(Vec::new());
                        }>
                            {t!(i18n, attach.detach)}
                        </button>
                    </div>
                }
                    .into_any()
            }}
        </li>
    }
}
