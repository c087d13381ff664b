//! *Désactiver/réactiver un compte utilisateur* (rule P5, seed 001
//! §2.2.4), reached from *Mon compte*: the box *Désactiver mes accès*, the
//! password, *Soumettre*. A primary manager is first sent to *Transférer
//! toutes vos structures* (rule M3). Reactivating goes through *Mot de passe
//! oublié ?*, which the page says.

use crate::api::my_account::{deactivate_account, deactivation_check};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{LoginNeeded, error_text};
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/desactiver-mon-compte`
#[component]
pub fn DeactivatePage() -> impl IntoView {
    let i18n = use_i18n();
    let check = Resource::new(|| (), |_| deactivation_check());
    let done = RwSignal::new(false);
    view! {
        <PageTitle text=move || t_string!(i18n, deactivate.page_title) />
        <h1>{t!(i18n, deactivate.heading)}</h1>
        <Show
            when=move || done.get()
            fallback=move || {
                view! {
                    <Transition>
                        {move || {
                            check.get().map(|found| match found {
                                Err(AppError::NotLoggedIn) => {
                                    view! { <LoginNeeded text=move || t_string!(i18n, deactivate.login_needed).to_owned() /> }
                                        .into_any()
                                }
                                Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
                                Ok(structures) if !structures.is_empty() => {
                                    let structures = structures.join(", ");
                                    view! {
                                        <p class="notice">
                                            {t_string!(i18n, deactivate.successor_needed, structures).to_string()}
                                        </p>
                                        <p>
                                            <A href="/mes-structures/transferer">{t!(i18n, deactivate.transfer_link)}</A>
                                        </p>
                                    }
                                        .into_any()
                                }
                                Ok(_) => view! { <DeactivateForm done /> }.into_any(),
                            })
                        }}
                    </Transition>
                }
            }
        >
            <div class="notice notice-success" role="status">
                <p>{t!(i18n, deactivate.done)}</p>
                // A full load: the header still shows the session that ended.
                <p>
                    <a href="/" rel="external">{t!(i18n, deactivate.home)}</a>
                </p>
            </div>
        </Show>
    }
}

#[component]
fn DeactivateForm(done: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let confirmed = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let submit = Action::new(move |(confirmed, password): &(bool, String)| {
        deactivate_account(*confirmed, password.clone())
    });
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(()))) {
            done.set(true);
        }
    });
    let message = Signal::derive(move || {
        if submitted.get() && !confirmed.get() {
            return Some((true, t_string!(i18n, deactivate.not_confirmed).to_owned()));
        }
        match submit.value().get() {
            Some(Err(error)) => Some((true, error_text(i18n, &error))),
            _ => None,
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if confirmed.get_untracked() {
            submit.dispatch((true, password.get_untracked()));
        }
    };
    view! {
        <p>{t!(i18n, deactivate.intro)}</p>
        <form method="post" class="form" novalidate on:submit=on_submit>
            <FormMessage message />
            <div class="field field-inline">
                <input
                    type="checkbox"
                    id="desactiver-mes-acces"
                    prop:checked=move || confirmed.get()
                    on:change=move |ev| confirmed.set(event_target_checked(&ev))
                />
                <label for="desactiver-mes-acces">{t!(i18n, deactivate.confirm)}</label>
            </div>
            <TextField
                id="mot-de-passe-actuel"
                label=Signal::derive(move || t_string!(i18n, deactivate.password).to_owned())
                value=password
                input_type="password"
                autocomplete="current-password"
                required=true
            />
            <button type="submit" class="button" disabled=move || submit.pending().get()>
                {t!(i18n, deactivate.submit)}
            </button>
        </form>
    }
}
