//! *Mes facteurs d'authentification* (rules F1–F4): the password, the
//! authenticator app, the security keys and the recovery codes of the
//! logged-in user, and *Mes sessions*, where the account is logged in.
//!
//! Adding or removing a factor needs a recent login; when the server says
//! [`AppError::RecentLoginRequired`], the page asks the user to log in again
//! where they are ([`ReauthForm`]: the password, then a second factor, as at
//! login; ASVS 7.5.1), reloads, and the user repeats the operation.

mod keys;
mod password;
mod recovery;
mod sessions;
mod totp;

use crate::api::account::current_user;
use crate::api::factors::{FactorsOverview, my_factors, reauthenticate};
use crate::api::my_sessions::{SessionView, my_sessions};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::error_text;
use crate::components::page_title::PageTitle;
use crate::domain::password::PersonalData;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::account::second_factor::{self, SecondFactorStep};
use leptos::prelude::*;
use leptos_router::components::A;

/// What the sections share: the overview (refetched after each change),
/// whether the password must be confirmed before the next change, and the
/// sections' messages, kept here because a refetch renders the sections anew.
#[derive(Clone, Copy)]
pub(crate) struct FactorsContext {
    pub overview: Resource<Result<FactorsOverview, AppError>>,
    pub reauth: RwSignal<bool>,
    pub app_status: RwSignal<Option<(bool, String)>>,
    pub keys_status: RwSignal<Option<(bool, String)>>,
    pub recovery_status: RwSignal<Option<(bool, String)>>,
    /// Recovery codes just drawn, shown once.
    pub recovery_codes: RwSignal<Option<Vec<String>>>,
    /// *Mes sessions*: the list, and the section's message.
    pub sessions: Resource<Result<Vec<SessionView>, AppError>>,
    pub sessions_status: RwSignal<Option<(bool, String)>>,
}

impl FactorsContext {
    /// Notes a refusal for want of a recent login; `true` if it was one.
    pub fn needs_reauth(&self, error: &AppError) -> bool {
        let needed = matches!(error, AppError::RecentLoginRequired);
        if needed {
            self.reauth.set(true);
        }
        needed
    }
}

#[component]
pub fn FactorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| my_factors());
    // Whose password the password section changes (its checklist's names).
    let me = Resource::new(|| (), |_| current_user());
    let cx = FactorsContext {
        overview,
        reauth: RwSignal::new(false),
        app_status: RwSignal::new(None),
        keys_status: RwSignal::new(None),
        recovery_status: RwSignal::new(None),
        recovery_codes: RwSignal::new(None),
        sessions: Resource::new(|| (), |_| my_sessions()),
        sessions_status: RwSignal::new(None),
    };
    provide_context(cx);
    view! {
        <PageTitle text=move || t_string!(i18n, factors.page_title) />
        <h1>{t!(i18n, factors.heading)}</h1>
        <Transition>
            {move || {
                let personal = me
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|u| PersonalData::new(&u.first_name, &u.last_name, &u.login_email));
                match overview.get() {
                    None => None,
                    Some(Err(AppError::NotLoggedIn)) => {
                        Some(
                            view! {
                                <p>{t!(i18n, factors.login_needed)}</p>
                                <p>
                                    <A href="/connexion">{t!(i18n, sign_in)}</A>
                                </p>
                            }
                                .into_any(),
                        )
                    }
                    Some(Err(error)) => {
                        Some(view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any())
                    }
                    Some(Ok(_)) => {
                        Some(
                            view! {
                                <p>{t!(i18n, factors.intro)}</p>
                                <ReauthForm show=cx.reauth then="/mes-facteurs-authentification" />
                                <password::PasswordSection personal />
                                <totp::TotpSection />
                                <keys::KeysSection />
                                <recovery::RecoverySection />
                                <sessions::SessionsSection />
                            }
                                .into_any(),
                        )
                    }
                }
            }}
        </Transition>
    }
}

/// The re-authentication asked before a change when the login is old: the
/// password, then the login's second step, which goes to `then` (the page
/// itself) logged in anew. Shown while `show` is set (by the page, when the
/// server answered [`AppError::RecentLoginRequired`]).
#[component]
pub(crate) fn ReauthForm(show: RwSignal<bool>, then: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let confirm = Action::new(move |p: &String| reauthenticate(p.clone()));
    let message = Signal::derive(move || match confirm.value().get() {
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
        _ => None,
    });
    view! {
        <Show when=move || show.get()>
            <section class="panel panel-attention" aria-labelledby="confirmation-titre">
                <h2 id="confirmation-titre">{t!(i18n, factors.reauth_heading)}</h2>
                {move || match confirm.value().get() {
                    Some(Ok(factors)) => {
                        view! { <SecondFactorStep factors then /> }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <p>{t!(i18n, factors.reauth_intro)}</p>
                            <form method="post"
                                class="form"
                                novalidate
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    second_factor::preload();
                                    confirm.dispatch(password.get_untracked());
                                }
                            >
                                <FormMessage message />
                                <TextField
                                    id="confirmation-mot-de-passe-actuel"
                                    label=Signal::derive(move || t_string!(i18n, factors.reauth_password).to_owned())
                                    value=password
                                    input_type="password"
                                    autocomplete="current-password"
                                    required=true
                                />
                                <button type="submit" class="button">{t!(i18n, factors.reauth_submit)}</button>
                            </form>
                        }
                            .into_any()
                    }
                }}
            </section>
        </Show>
    }
}

/// The trash icon of the delete buttons (decorative: the button has a name).
#[component]
pub(crate) fn TrashIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path
                fill="currentColor"
                d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm4 2v8h2v-8h-2zm4 0v8h2v-8h-2z"
            />
        </svg>
    }
}
