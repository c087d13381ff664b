//! *Créer une nouvelle structure* (rules S1, S3, S9, S10): the identifier
//! type and identifier, checked as typed by the shared domain code; with a
//! SIRET, the directory's information shown read-only (no *Adresse postale*
//! and *Non diffusible* ticked when the establishment is not public); the
//! optional label, e-mail and phone; *Soumettre*.

use crate::api::structures::{CreatedStructure, SiretDetails, create_structure, siret_preview};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{error_text, field_problem_text};
use crate::components::page_title::PageTitle;
use crate::domain::identifiers::{IdentifierProblem, IdentifierType};
use crate::domain::structures::{StructureField, StructureInput, StructureProblem};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

fn type_label(i18n: I18nContext<Locale>, kind: IdentifierType) -> &'static str {
    match kind {
        IdentifierType::Siret => t_string!(i18n, structures.type_siret),
        IdentifierType::EuOutsideFrance => t_string!(i18n, structures.type_ue_hors_france),
        IdentifierType::OutsideEu => t_string!(i18n, structures.type_hors_ue),
        IdentifierType::Ridet => t_string!(i18n, structures.type_ridet),
        IdentifierType::Tahiti => t_string!(i18n, structures.type_tahiti),
        IdentifierType::Individual => t_string!(i18n, structures.type_particulier),
        IdentifierType::Other => t_string!(i18n, structures.type_autre),
    }
}

fn problem_text(i18n: I18nContext<Locale>, problem: StructureProblem) -> String {
    match problem {
        StructureProblem::Identifier(IdentifierProblem::Missing) => {
            t_string!(i18n, errors.identifier_missing).to_owned()
        }
        StructureProblem::Identifier(IdentifierProblem::Format) => {
            t_string!(i18n, errors.identifier_format).to_owned()
        }
        StructureProblem::Identifier(IdentifierProblem::Checksum) => {
            t_string!(i18n, errors.identifier_checksum).to_owned()
        }
        StructureProblem::Field(problem) => field_problem_text(i18n, problem),
    }
}

/// A read-only line of the directory's information.
#[component]
fn Shown(id: &'static str, label: String, value: Option<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" readonly value=value.unwrap_or_default() />
        </div>
    }
}

#[component]
fn DirectoryDetails(details: SiretDetails) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |s: &'static str| s.to_owned();
    view! {
        <Shown id="raison-sociale" label=t(t_string!(i18n, structures.name)) value=Some(details.name.clone()) />
        {details.needs_support.then(|| view! { <p class="notice">{t!(i18n, structures.needs_support)}</p> })}
        {if details.diffusible {
            view! {
                <fieldset class="address">
                    <legend>{t!(i18n, structures.address_heading)}</legend>
                    <Shown id="complement-adresse" label=t(t_string!(i18n, structures.address_complement)) value=details.address_complement.clone() />
                    <Shown id="adresse" label=t(t_string!(i18n, structures.street)) value=details.street.clone() />
                    <Shown id="code-postal" label=t(t_string!(i18n, structures.postal_code)) value=details.postal_code.clone() />
                    <Shown id="ville" label=t(t_string!(i18n, structures.city)) value=details.city.clone() />
                    <Shown id="pays" label=t(t_string!(i18n, structures.country)) value=details.country.clone() />
                </fieldset>
            }
                .into_any()
        } else {
            view! {
                <div class="checkbox-field">
                    <input id="non-diffusible" type="checkbox" checked disabled />
                    <label for="non-diffusible">{t!(i18n, structures.non_diffusible)}</label>
                </div>
            }
                .into_any()
        }}
    }
}

#[component]
pub fn CreateStructurePage() -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(IdentifierType::Siret.code().to_owned());
    let identifier = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let lookup = Action::new(move |siret: &String| siret_preview(siret.clone()));
    let submit = Action::new(move |_: &()| {
        let input = StructureInput {
            identifier_type: kind.get_untracked(),
            identifier: identifier.get_untracked(),
            name: name.get_untracked(),
            label: label.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
        };
        async move { create_structure(input).await }
    });
    let is_siret = move || kind.get() == IdentifierType::Siret.code();
    // A new identifier makes the directory's answer stale.
    Effect::new(move |_| {
        identifier.track();
        kind.track();
        lookup.value().set(None);
    });
    let field_error = move |field: StructureField| {
        Signal::derive(move || {
            let from = |error: Option<Result<_, AppError>>| match error {
                Some(Err(AppError::StructureFields(problems))) => problems
                    .into_iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, p)| problem_text(i18n, p)),
                _ => None,
            };
            from(submit.value().get().map(|r| r.map(drop)))
                .or_else(|| from(lookup.value().get().map(|r| r.map(drop))))
        })
    };
    let message = Signal::derive(move || match (submit.value().get(), lookup.value().get()) {
        (
            Some(Ok(CreatedStructure {
                name,
                awaiting_support: false,
                ..
            })),
            _,
        ) => Some((false, t_string!(i18n, structures.created, name).to_string())),
        (
            Some(Ok(CreatedStructure {
                name,
                awaiting_support: true,
                ..
            })),
            _,
        ) => Some((
            false,
            t_string!(i18n, structures.awaiting_support, name).to_string(),
        )),
        (Some(Err(AppError::StructureFields(_))), _) => {
            Some((true, t_string!(i18n, form_error).to_owned()))
        }
        (Some(Err(error)), _) => Some((true, error_text(i18n, &error))),
        (None, Some(Err(AppError::StructureFields(_)))) => None,
        (None, Some(Err(error))) => Some((true, error_text(i18n, &error))),
        _ => None,
    });
    let created = move || matches!(submit.value().get(), Some(Ok(_)));

    view! {
        <PageTitle text=move || t_string!(i18n, structures.create_title) />
        <h1>{t!(i18n, structures.create)}</h1>
        <p class="notice" role="note">{t!(i18n, structures.warning)}</p>
        <FormMessage message />
        <Show
            when=move || !created()
            fallback=move || view! { <p><A href="/mes-structures">{t!(i18n, structures.nav)}</A></p> }
        >
            <form method="post"
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.dispatch(());
                }
            >
                <div class="field">
                    <label for="type-identifiant">{t!(i18n, structures.identifier_type)}</label>
                    <select
                        id="type-identifiant"
                        name="type-identifiant"
                        on:change=move |ev| kind.set(event_target_value(&ev))
                        prop:value=move || kind.get()
                    >
                        {IdentifierType::ALL
                            .into_iter()
                            .map(|k| view! { <option value=k.code()>{move || type_label(i18n, k)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <TextField
                    id="identifiant"
                    label=Signal::derive(move || t_string!(i18n, structures.identifier).to_owned())
                    value=identifier
                    error=field_error(StructureField::Identifier)
                    hint=Signal::derive(move || if is_siret() { t_string!(i18n, structures.siret_hint).to_owned() } else { String::new() })
                    required=true
                />
                <Show
                    when=is_siret
                    fallback=move || {
                        view! {
                            <TextField
                                id="raison-sociale"
                                label=Signal::derive(move || t_string!(i18n, structures.name).to_owned())
                                value=name
                                error=field_error(StructureField::Name)
                                required=true
                            />
                        }
                    }
                >
                    <div class="actions">
                        <button type="button" class="button-secondary" on:click=move |_| {
                            lookup.dispatch(identifier.get_untracked());
                        }>{t!(i18n, structures.search)}</button>
                    </div>
                    {move || match lookup.value().get() {
                        Some(Ok(details)) => Some(view! { <DirectoryDetails details /> }),
                        _ => None,
                    }}
                </Show>
                <TextField
                    id="libelle"
                    label=Signal::derive(move || t_string!(i18n, structures.label).to_owned())
                    value=label
                    error=field_error(StructureField::Label)
                />
                <TextField
                    id="adresse-electronique"
                    label=Signal::derive(move || t_string!(i18n, structures.email).to_owned())
                    value=email
                    error=field_error(StructureField::Email)
                    input_type="email"
                    autocomplete="email"
                />
                <TextField
                    id="telephone"
                    label=Signal::derive(move || t_string!(i18n, structures.phone).to_owned())
                    value=phone
                    error=field_error(StructureField::Phone)
                    input_type="tel"
                    autocomplete="tel"
                />
                <button type="submit" class="button">{t!(i18n, structures.submit)}</button>
            </form>
        </Show>
    }
}
