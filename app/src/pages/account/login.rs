//! *Se connecter* (rules L1–L3, L5): the password, then the second factor
//! the server asks for ([`super::second_factor`]).

use super::second_factor::{self, SecondFactorStep};
use crate::api::login::log_in;
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::error_text;
use crate::components::page_title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_step = Action::new(move |(e, p): &(String, String)| log_in(e.clone(), p.clone()));
    let password_message = Signal::derive(move || match password_step.value().get() {
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
        _ => None,
    });

    view! {
        <PageTitle text=move || t_string!(i18n, login.page_title) />
        <h1>{t!(i18n, sign_in)}</h1>
        {move || match password_step.value().get() {
            Some(Ok(factors)) => view! { <SecondFactorStep factors then="/mes-structures" /> }.into_any(),
            _ => {
                view! {
                    <form method="post"
                        class="form"
                        novalidate
                        on:submit=move |ev| {
                            ev.prevent_default();
                            second_factor::preload();
                            password_step.dispatch((email.get_untracked(), password.get_untracked()));
                        }
                    >
                        <FormMessage message=password_message />
                        <TextField
                            id="adresse-connexion"
                            label=Signal::derive(move || t_string!(i18n, login.login_email).to_owned())
                            value=email
                            input_type="email"
                            autocomplete="username"
                            required=true
                        />
                        <TextField
                            id="mot-de-passe"
                            label=Signal::derive(move || t_string!(i18n, login.password).to_owned())
                            value=password
                            input_type="password"
                            autocomplete="current-password"
                            required=true
                        />
                        <div class="actions">
                            <button type="submit" class="button">{t!(i18n, login.submit)}</button>
                            <A href="/mot-de-passe-oublie">{t!(i18n, login.forgot)}</A>
                            <A href="/nous-contacter">{t!(i18n, ticket.nav)}</A>
                        </div>
                    </form>
                }
                    .into_any()
            }
        }}
    }
}
