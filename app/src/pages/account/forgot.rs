//! *Mot de passe oublié ?* (rule L4): one answer, whether or not the address
//! has an account.

use crate::api::account::forgot_password;
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::field_problem_text;
use crate::components::page_title::PageTitle;
use crate::domain::account::check_email;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let submit = Action::new(move |email: &String| forgot_password(email.clone()));
    let error = Signal::derive(move || {
        submitted
            .get()
            .then(|| check_email(&email.get()).err())
            .flatten()
            .map(|p| field_problem_text(i18n, p))
    });
    let message = Signal::derive(move || match submit.value().get() {
        Some(Ok(())) => Some((false, t_string!(i18n, forgot.done).to_owned())),
        Some(Err(_)) => Some((true, t_string!(i18n, errors.internal).to_owned())),
        None => None,
    });
    view! {
        <PageTitle text=move || t_string!(i18n, forgot.page_title) />
        <h1>{t!(i18n, forgot.heading)}</h1>
        <p>{t!(i18n, forgot.intro)}</p>
        <form method="post"
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submitted.set(true);
                if check_email(&email.get_untracked()).is_ok() {
                    submit.dispatch(email.get_untracked());
                }
            }
        >
            <FormMessage message />
            <TextField
                id="adresse-connexion"
                label=Signal::derive(move || t_string!(i18n, forgot.login_email).to_owned())
                value=email
                error
                input_type="email"
                autocomplete="email"
                required=true
            />
            <button type="submit" class="button">{t!(i18n, forgot.submit)}</button>
        </form>
    }
}
