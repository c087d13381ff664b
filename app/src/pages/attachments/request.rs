//! *Demander un rattachement à une structure* (rules S5, S9): the type-ahead
//! search by identifier or *raison sociale* (paginated on the server), the
//! mandatory comment, and *Je souhaite faire un rattachement à la maille
//! service* with a searchable list of the structure's services to tick.
//! The comment is checked as typed by the same domain code as the server.

use crate::api::attachments::{
    FoundStructure, ServiceChoice, StructureSearch, request_attachment, requestable_services,
    search_structures,
};
use crate::components::form::FormMessage;
use crate::components::messages::{error_text, request_problem_text};
use crate::components::page_title::PageTitle;
use crate::components::pager::Pager;
use crate::domain::attachments::{RequestProblem, check_request, check_search};
use crate::domain::paging::PagePosition;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn RequestAttachmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<FoundStructure>);
    let message = RwSignal::new(None::<(bool, String)>);
    view! {
        <PageTitle text=move || t_string!(i18n, attach.request_title) />
        <h1>{t!(i18n, attach.request_heading)}</h1>
        <p class="notice" role="note">{t!(i18n, structures.warning)}</p>
        <FormMessage message=message />
        {move || match chosen.get() {
            None => view! { <StructureSearch chosen /> }.into_any(),
            Some(structure) => view! { <RequestForm structure chosen message /> }.into_any(),
        }}
    }
}

/// The search: results appear as the user types.
#[component]
fn StructureSearch(chosen: RwSignal<Option<FoundStructure>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0u64);
    let found = Resource::new(
        move || (query.get(), page.get()),
        |(q, p)| search_structures(q, p),
    );
    view! {
        <div class="field">
            <label for="recherche-structure">{t!(i18n, attach.search_label)}</label>
            <p class="hint" id="recherche-structure-aide">{t!(i18n, attach.search_hint)}</p>
            <input
                id="recherche-structure"
                type="search"
                autocomplete="off"
                aria-describedby="recherche-structure-aide"
                aria-controls="resultats-structures"
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    page.set(0);
                }
            />
        </div>
        <section id="resultats-structures" aria-label=move || t_string!(i18n, attach.results)>
            <Transition>
                {move || found.get().map(|result| match result {
                    Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
                    Ok(_) if query.with(|q| !matches!(check_search(q), Ok(Some(_)))) => ().into_any(),
                    Ok(StructureSearch { found, more }) => {
                        let total = found.total;
                        let position = PagePosition::of(found.page, found.per_page, total);
                        view! {
                            <p role="status">
                                {move || if more {
                                    t_string!(i18n, attach.search_more, total).to_string()
                                } else if total == 0 {
                                    t_string!(i18n, attach.search_none).to_owned()
                                } else {
                                    t_string!(i18n, attach.search_count, total).to_string()
                                }}
                            </p>
                            <ul class="result-list">
                                {found.rows.into_iter().map(|s| view! { <ResultLine structure=s chosen /> }).collect_view()}
                            </ul>
                            <Pager page position />
                        }
                            .into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ResultLine(
    structure: FoundStructure,
    chosen: RwSignal<Option<FoundStructure>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (name, identifier) = (structure.name.clone(), structure.identifier.clone());
    let place = structure
        .city
        .clone()
        .map(|c| format!(" – {c}"))
        .unwrap_or_default();
    view! {
        <li>
            <span><strong>{structure.name.clone()}</strong>" " {structure.identifier.clone()} {place}</span>
            <button
                type="button"
                class="button-secondary"
                aria-label=move || t_string!(i18n, attach.choose_named, name = name.clone(), identifier = identifier.clone()).to_string()
                on:click=move |_| chosen.set(Some(structure.clone()))
            >
                {t!(i18n, attach.choose)}
            </button>
        </li>
    }
}

/// The comment and the services of a request to the chosen structure.
#[component]
fn RequestForm(
    structure: FoundStructure,
    chosen: RwSignal<Option<FoundStructure>>,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let service_level = RwSignal::new(false);
    let ticked = RwSignal::new(Vec::<i32>::new());
    let tried = RwSignal::new(false);
    let problem = move || check_request(&comment.get(), service_level.get(), &ticked.get()).err();
    let comment_error = move || match problem() {
        Some(p @ RequestProblem::Comment(_)) if tried.get() => Some(request_problem_text(i18n, p)),
        _ => None,
    };
    let structure_id = structure.id;
    let send = Action::new(move |_: &()| {
        let (c, level, chosen) = (
            comment.get_untracked(),
            service_level.get_untracked(),
            ticked.get_untracked(),
        );
        request_attachment(structure_id, c, level, chosen)
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(name)) => {
            message.set(Some((
                false,
                t_string!(i18n, attach.sent, name).to_string(),
            )));
            chosen.set(None);
        }
        Some(Err(error)) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    let chosen_text = {
        let (name, identifier) = (structure.name.clone(), structure.identifier.clone());
        move || {
            t_string!(
                i18n,
                attach.chosen,
                name = name.clone(),
                identifier = identifier.clone()
            )
            .to_string()
        }
    };
    view! {
        <p class="chosen-structure">{chosen_text}</p>
        <p>
            <button type="button" class="link-button" on:click=move |_| chosen.set(None)>
                {t!(i18n, attach.change)}
            </button>
        </p>
        <form method="post"
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                message.set(None);
                match problem() {
                    Some(RequestProblem::NoService) => {
                        message.set(Some((true, request_problem_text(i18n, RequestProblem::NoService))));
                    }
                    Some(_) => {}
                    None => {
                        send.dispatch(());
                    }
                }
            }
        >
            <div class="field">
                <label for="commentaire">{t!(i18n, attach.comment)} <span class="required" aria-hidden="true">"*"</span></label>
                <p class="hint" id="commentaire-aide">{t!(i18n, attach.comment_hint)}</p>
                <textarea
                    id="commentaire"
                    name="commentaire"
                    rows="4"
                    required
                    aria-required="true"
                    aria-invalid=move || comment_error().is_some().to_string()
                    aria-describedby=move || if comment_error().is_some() { "commentaire-aide commentaire-erreur" } else { "commentaire-aide" }
                    prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))
                ></textarea>
                {move || comment_error().map(|text| view! { <p class="field-error-text" id="commentaire-erreur">{text}</p> })}
            </div>
            <div class="checkbox-field">
                <input
                    id="maille-service"
                    type="checkbox"
                    prop:checked=move || service_level.get()
                    on:change=move |ev| service_level.set(event_target_checked(&ev))
                />
                <label for="maille-service">{t!(i18n, attach.service_level)}</label>
            </div>
            <Show when=move || service_level.get()>
                <ServicePicker structure_id ticked />
            </Show>
            <div class="actions">
                <button type="submit" class="button" disabled=move || send.pending().get()>{t!(i18n, attach.submit)}</button>
            </div>
        </form>
    }
}

/// *Sélection des services*: the structure's active services, filtered as
/// the user types, each a checkbox.
#[component]
fn ServicePicker(structure_id: i32, ticked: RwSignal<Vec<i32>>) -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(String::new());
    let services = Resource::new(move || structure_id, requestable_services);
    let shown = move |all: &[ServiceChoice]| {
        let needle = filter.get().trim().to_lowercase();
        all.iter()
            .filter(|s| {
                needle.is_empty()
                    || s.code.to_lowercase().contains(&needle)
                    || s.label.to_lowercase().contains(&needle)
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <fieldset class="panel">
            <legend>{t!(i18n, attach.services_heading)}</legend>
            <Transition>
                {move || services.get().map(|result| match result {
                    Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
                    Ok(all) if all.is_empty() => view! { <p>{t!(i18n, attach.services_none)}</p> }.into_any(),
                    Ok(all) => view! {
                        <div class="field">
                            <label for="filtre-services">{t!(i18n, attach.services_filter)}</label>
                            <input
                                id="filtre-services"
                                type="search"
                                autocomplete="off"
                                prop:value=move || filter.get()
                                on:input=move |ev| filter.set(event_target_value(&ev))
                            />
                        </div>
                        <ul class="check-list">
                            {move || shown(&all).into_iter().map(|s| view! { <ServiceBox service=s ticked /> }).collect_view()}
                        </ul>
                    }
                        .into_any(),
                })}
            </Transition>
        </fieldset>
    }
}

#[component]
fn ServiceBox(service: ServiceChoice, ticked: RwSignal<Vec<i32>>) -> impl IntoView {
    let id = service.id;
    let input_id = format!("service-{id}");
    view! {
        <li class="checkbox-field">
            <input
                id=input_id.clone()
                type="checkbox"
                prop:checked=move || ticked.get().contains(&id)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    ticked.update(|t| {
                        t.retain(|s| *s != id);
                        if on {
                            t.push(id);
                        }
                    });
                }
            />
            <label for=input_id>{format!("{} – {}", service.code, service.label)}</label>
        </li>
    }
}
