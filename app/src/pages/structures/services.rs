//! The services of one structure (rule S4): the list with each service's
//! status; for managers, *Ajouter un service* and (de)activation. What a
//! user may do is decided by the server; the page only hides what it would
//! refuse.

use crate::api::services::{ServiceLine, add_service, set_service_active, structure_services};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::error_text;
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let structure_id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let status = RwSignal::new(None::<(bool, String)>);
    let view_data = Resource::new(structure_id, structure_services);
    let report = Callback::new(move |result: Result<String, AppError>| match result {
        Ok(done) => {
            status.set(Some((false, done)));
            view_data.refetch();
        }
        Err(error) => status.set(Some((true, error_text(i18n, &error)))),
    });
    view! {
        <PageTitle text=move || t_string!(i18n, services.page_title) />
        <Transition>
            {move || match view_data.get() {
                None => None,
                Some(Err(error)) => Some(
                    view! {
                        <h1>{t!(i18n, services.link_short)}</h1>
                        <p role="alert">{error_text(i18n, &error)}</p>
                        <p><A href="/mes-structures">{t!(i18n, services.back)}</A></p>
                    }
                        .into_any(),
                ),
                Some(Ok(found)) => {
                    let name = found.structure_name.clone();
                    let id = structure_id();
                    Some(
                        view! {
                            <h1>{move || t_string!(i18n, services.heading, name = name.clone()).to_string()}</h1>
                            <FormMessage message=status />
                            <ServicesTable lines=found.services can_manage=found.can_manage structure_id=id report />
                            {if found.can_manage {
                                view! { <AddService structure_id=id report /> }.into_any()
                            } else {
                                view! { <p>{t!(i18n, services.read_only)}</p> }.into_any()
                            }}
                            <p><A href="/mes-structures">{t!(i18n, services.back)}</A></p>
                        }
                            .into_any(),
                    )
                }
            }}
        </Transition>
    }
}

#[component]
fn ServicesTable(
    lines: Vec<ServiceLine>,
    can_manage: bool,
    structure_id: i32,
    report: Callback<Result<String, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p>{t!(i18n, services.none)}</p> }.into_any();
    }
    let toggle = Action::new(move |(id, active): &(i32, bool)| {
        set_service_active(structure_id, *id, *active)
    });
    Effect::new(move |_| {
        if let Some(result) = toggle.value().get() {
            report.run(result.map(|()| t_string!(i18n, services.changed).to_owned()));
        }
    });
    view! {
        <table class="data-table">
            <caption class="visually-hidden">{t!(i18n, services.link_short)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, services.col_code)}</th>
                    <th scope="col">{t!(i18n, services.col_label)}</th>
                    <th scope="col">{t!(i18n, services.col_status)}</th>
                    {can_manage.then(|| view! { <th scope="col">{t!(i18n, services.col_actions)}</th> })}
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|line| {
                        let code = line.code.clone();
                        let (id, active) = (line.id, line.active);
                        view! {
                            <tr>
                                <td>{line.code.clone()}</td>
                                <td>{line.label.clone()}</td>
                                <td>{move || if active { t_string!(i18n, services.active) } else { t_string!(i18n, services.inactive) }}</td>
                                {can_manage.then(|| {
                                    let code = code.clone();
                                    let name = move || {
                                        let code = code.clone();
                                        if active {
                                            t_string!(i18n, services.deactivate, code).to_string()
                                        } else {
                                            t_string!(i18n, services.activate, code).to_string()
                                        }
                                    };
                                    view! {
                                        <td>
                                            <button
                                                type="button"
                                                class="button-secondary"
                                                aria-label=name
                                                on:click=move |_| {
                                                    toggle.dispatch((id, !active));
                                                }
                                            >
                                                {move || if active { t_string!(i18n, services.deactivate_short) } else { t_string!(i18n, services.activate_short) }}
                                            </button>
                                        </td>
                                    }
                                })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
        .into_any()
}

#[component]
fn AddService(structure_id: i32, report: Callback<Result<String, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let add = Action::new(move |_: &()| {
        let (c, l) = (code.get_untracked(), label.get_untracked());
        async move { add_service(structure_id, c, l).await }
    });
    Effect::new(move |_| {
        if let Some(result) = add.value().get() {
            if result.is_ok() {
                code.set(String::new());
                label.set(String::new());
            }
            report.run(result.map(|()| t_string!(i18n, services.added).to_owned()));
        }
    });
    view! {
        <section aria-labelledby="ajout-service-titre">
            <h2 id="ajout-service-titre">{t!(i18n, services.add_heading)}</h2>
            <form method="post"
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(());
                }
            >
                <TextField
                    id="code-service"
                    label=Signal::derive(move || t_string!(i18n, services.code).to_owned())
                    value=code
                    required=true
                />
                <TextField
                    id="libelle-service"
                    label=Signal::derive(move || t_string!(i18n, services.label).to_owned())
                    value=label
                    required=true
                />
                <button type="submit" class="button">{t!(i18n, services.add)}</button>
            </form>
        </section>
    }
}
