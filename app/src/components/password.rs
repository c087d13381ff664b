//! Choosing a password through a link (activation, reset): the live
//! checklist of rule A4, computed by the shared `domain::password` code as
//! the user types, and the failure message of rule A5 for a dead link.

use crate::api::account::{check_link, set_password};
use crate::components::form::{FormMessage, TextField};
use crate::domain::password::{self, Criterion};
use crate::error::{AppError, LinkFailure};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn criterion_text(i18n: I18nContext<Locale>, criterion: Criterion) -> String {
    match criterion {
        Criterion::MinLength => t_string!(i18n, password.MinLength),
        Criterion::MaxLength => t_string!(i18n, password.MaxLength),
        Criterion::Digit => t_string!(i18n, password.Digit),
        Criterion::Lowercase => t_string!(i18n, password.Lowercase),
        Criterion::Uppercase => t_string!(i18n, password.Uppercase),
        Criterion::Special => t_string!(i18n, password.Special),
    }
    .to_owned()
}

/// The criteria, each shown met or not met as the user types.
#[component]
pub fn PasswordChecklist(#[prop(into)] password: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let report = Memo::new(move |_| password::check(&password.get()));
    view! {
        <div class="checklist">
            <p id="criteres-titre">{t!(i18n, password.criteria_heading)}</p>
            <ul aria-labelledby="criteres-titre">
                {Criterion::ALL
                    .into_iter()
                    .map(|criterion| {
                        let met = move || report.get().meets(criterion);
                        view! {
                            <li class:met=met data-criterion=format!("{criterion:?}")>
                                <span aria-hidden="true">{move || if met() { "✓ " } else { "✗ " }}</span>
                                {move || criterion_text(i18n, criterion)}
                                <span class="visually-hidden">
                                    {move || {
                                        if met() {
                                            format!(" ({})", t_string!(i18n, password.met))
                                        } else {
                                            format!(" ({})", t_string!(i18n, password.unmet))
                                        }
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// A new password, its live checklist (rule A4) and its confirmation. The
/// confirmation shows the mismatch once the server has `refused` the pair,
/// until the two agree again.
#[component]
pub fn NewPasswordFields(
    /// The ids of the password and confirmation inputs.
    ids: (&'static str, &'static str),
    labels: (Signal<String>, Signal<String>),
    password: RwSignal<String>,
    confirmation: RwSignal<String>,
    #[prop(into)] refused: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mismatch = Signal::derive(move || {
        (refused.get() && password.get() != confirmation.get())
            .then(|| t_string!(i18n, password.mismatch).to_owned())
    });
    view! {
        <TextField
            id=ids.0
            label=labels.0
            value=password
            input_type="password"
            autocomplete="new-password"
            required=true
        />
        <PasswordChecklist password />
        <TextField
            id=ids.1
            label=labels.1
            value=confirmation
            error=mismatch
            input_type="password"
            autocomplete="new-password"
            required=true
        />
    }
}

/// Why a link failed, and where to get a new one.
#[component]
fn LinkFailed(failure: LinkFailure) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-error" role="alert">
            <h2>{t!(i18n, password.link_failed_heading)}</h2>
            <p>
                {move || match failure {
                    LinkFailure::Expired => t_string!(i18n, password.link_expired),
                    LinkFailure::AlreadyUsed => t_string!(i18n, password.link_used),
                    LinkFailure::Unknown => t_string!(i18n, password.link_unknown),
                }}
            </p>
            <p>
                {t!(i18n, password.link_help)} " "
                <A href="/mot-de-passe-oublie">{t!(i18n, login.forgot)}</A>
            </p>
        </div>
    }
}

/// The page body for `/activation` and `/reinitialisation`: the token comes
/// from the `jeton` query parameter of the e-mailed link.
#[component]
pub fn SetPasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("jeton").unwrap_or_default());
    let link = Resource::new(token, check_link);
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let submit = Action::new(move |_: &()| {
        let (token, password, confirmation) = (token(), password.get(), confirmation.get());
        async move { set_password(token, password, confirmation).await }
    });
    let result = submit.value();
    let message = Signal::derive(move || match result.get() {
        Some(Ok(())) => Some((false, t_string!(i18n, password.done).to_owned())),
        Some(Err(AppError::WeakPassword(_))) => {
            Some((true, t_string!(i18n, password.weak).to_owned()))
        }
        Some(Err(AppError::PasswordMismatch)) => {
            Some((true, t_string!(i18n, form_error).to_owned()))
        }
        Some(Err(AppError::Link(_))) | None => None,
        Some(Err(_)) => Some((true, t_string!(i18n, errors.internal).to_owned())),
    });
    let failure = move || match (link.get(), result.get()) {
        (_, Some(Err(AppError::Link(failure)))) => Some(failure),
        (Some(Err(AppError::Link(failure))), _) => Some(failure),
        _ => None,
    };
    view! {
        <Suspense>
            {move || {
                if let Some(failure) = failure() {
                    return view! { <LinkFailed failure /> }.into_any();
                }
                if matches!(result.get(), Some(Ok(()))) {
                    return view! {
                        <FormMessage message />
                        <p>
                            <A href="/connexion">{t!(i18n, sign_in)}</A>
                        </p>
                    }
                        .into_any();
                }
                view! {
                    <form
                        class="form"
                        novalidate
                        on:submit=move |ev| {
                            ev.prevent_default();
                            submit.dispatch(());
                        }
                    >
                        <FormMessage message />
                        <NewPasswordFields
                            ids=("mot-de-passe", "confirmation-mot-de-passe")
                            labels=(
                                Signal::derive(move || t_string!(i18n, password.password).to_owned()),
                                Signal::derive(move || t_string!(i18n, password.confirmation).to_owned()),
                            )
                            password
                            confirmation
                            refused=Signal::derive(move || matches!(result.get(), Some(Err(AppError::PasswordMismatch))))
                        />
                        <button type="submit" class="button">{t!(i18n, password.submit)}</button>
                    </form>
                }
                    .into_any()
            }}
        </Suspense>
    }
}
