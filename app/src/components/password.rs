//! Choosing a password through a link (activation, reset): the live
//! checklist of rule A4, computed by the shared `domain::password` code as
//! the user types, and the failure message of rule A5 for a dead link.
//!
//! These pages know only the link, not whose it is: the criterion about the
//! user's names is checked by the server, whose refusal names it.

use crate::api::account::{check_link, set_password};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{criterion_text, weak_password_text};
use crate::domain::password::{self, Criterion, PasswordReport, PersonalData};
use crate::error::{AppError, LinkFailure};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// How the checklist shows a criterion.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Met,
    Unmet,
    /// Only the server can tell (the page does not know the user's names).
    OnSubmit,
}

/// The criteria, each shown met or not met as the user types. Without
/// `personal` (the page does not know whose password it is), the criterion
/// about the user's names says that it is checked when the form is sent.
#[component]
pub fn PasswordChecklist(
    #[prop(into)] password: Signal<String>,
    #[prop(into)] personal: Signal<Option<PersonalData>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The common-password list is fetched by the browser (see
    // `domain::password::common`); until it is there, on the server too so
    // that hydration finds the same page, that criterion waits for the server.
    let list_ready = RwSignal::new(false);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if load_common_passwords().await {
                list_ready.set(true);
            }
        });
    });
    let report = Memo::new(move |_| {
        let typed = password.get();
        let report = personal.with(|known| match known {
            Some(personal) => password::check(&typed, personal),
            None => password::check(&typed, &PersonalData::default()),
        });
        if list_ready.get() {
            report
        } else {
            PasswordReport {
                is_common: None,
                ..report
            }
        }
    });
    view! {
        <div class="checklist">
            <p id="criteres-titre">{t!(i18n, password.criteria_heading)}</p>
            <ul aria-labelledby="criteres-titre">
                {Criterion::ALL
                    .into_iter()
                    .map(|criterion| {
                        let mark = move || {
                            let unknown = match criterion {
                                Criterion::NotPersonal => personal.with(Option::is_none),
                                Criterion::NotCommon => report.get().is_common.is_none(),
                                _ => false,
                            };
                            if unknown {
                                Mark::OnSubmit
                            } else if report.get().meets(criterion) {
                                Mark::Met
                            } else {
                                Mark::Unmet
                            }
                        };
                        view! {
                            <li
                                class:met=move || mark() == Mark::Met
                                class:pending=move || mark() == Mark::OnSubmit
                                data-criterion=format!("{criterion:?}")
                            >
                                <span aria-hidden="true">
                                    {move || match mark() {
                                        Mark::Met => "✓ ",
                                        Mark::Unmet => "✗ ",
                                        Mark::OnSubmit => "• ",
                                    }}
                                </span>
                                {move || criterion_text(i18n, criterion)}
                                // Met / not met is for screen readers; "checked on
                                // submission" is for everyone.
                                <span class=("visually-hidden", move || mark() != Mark::OnSubmit)>
                                    {move || {
                                        let note = match mark() {
                                            Mark::Met => t_string!(i18n, password.met),
                                            Mark::Unmet => t_string!(i18n, password.unmet),
                                            Mark::OnSubmit => t_string!(i18n, password.on_submit),
                                        };
                                        format!(" ({note})")
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

/// Fetches the common-password list and installs it for
/// [`password::check`], once per page; whether it is there.
async fn load_common_passwords() -> bool {
    #[cfg(feature = "hydrate")]
    {
        use password::common;
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        if common::is_common("").is_some() {
            return true;
        }
        let Some(window) = web_sys::window() else {
            return false;
        };
        let Ok(response) = JsFuture::from(window.fetch_with_str(common::PATH)).await else {
            return false;
        };
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            return false;
        };
        let Ok(text) = response.text() else {
            return false;
        };
        let text = JsFuture::from(text).await.ok().and_then(|t| t.as_string());
        response.ok() && text.is_some_and(common::install)
    }
    #[cfg(not(feature = "hydrate"))]
    false
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
    /// Whose password it is, when the page knows.
    #[prop(into)]
    personal: Signal<Option<PersonalData>>,
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
        <PasswordChecklist password personal />
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
        Some(Err(AppError::WeakPassword(unmet))) => Some((true, weak_password_text(i18n, &unmet))),
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
                    <form method="post"
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
                            personal=Signal::derive(|| None)
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
