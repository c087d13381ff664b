//! *Changer mon mot de passe* (rule F1): the current password, the new one
//! with the live checklist of rule A4 (including the user's names), its
//! confirmation.

use crate::api::factors::change_password;
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::error_text;
use crate::components::password::NewPasswordFields;
use crate::domain::password::PersonalData;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The section; `personal` is whose password it is (the page reads it with
/// its other data, so that the server renders the checklist as the browser
/// hydrates it).
#[component]
pub fn PasswordSection(personal: Option<PersonalData>) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let submit = Action::new(move |_: &()| {
        let (c, p, k) = (
            current.get_untracked(),
            password.get_untracked(),
            confirmation.get_untracked(),
        );
        async move { change_password(c, p, k).await }
    });
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(()))) {
            current.set(String::new());
            password.set(String::new());
            confirmation.set(String::new());
        }
    });
    let message = Signal::derive(move || match submit.value().get() {
        Some(Ok(())) => Some((false, t_string!(i18n, factors.password_changed).to_owned())),
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
        None => None,
    });
    let current_error = Signal::derive(move || {
        matches!(
            submit.value().get(),
            Some(Err(AppError::WrongCurrentPassword))
        )
        .then(|| t_string!(i18n, errors.wrong_current_password).to_owned())
    });
    view! {
        <section class="panel" aria-labelledby="mot-de-passe-titre">
            <h2 id="mot-de-passe-titre">{t!(i18n, factors.password_heading)}</h2>
            <form method="post"
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.dispatch(());
                }
            >
                <FormMessage message />
                <TextField
                    id="mot-de-passe-actuel"
                    label=Signal::derive(move || t_string!(i18n, factors.current_password).to_owned())
                    value=current
                    error=current_error
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <NewPasswordFields
                    ids=("nouveau-mot-de-passe", "confirmation-nouveau-mot-de-passe")
                    labels=(
                        Signal::derive(move || t_string!(i18n, factors.new_password).to_owned()),
                        Signal::derive(move || t_string!(i18n, factors.confirmation).to_owned()),
                    )
                    password
                    confirmation
                    personal=Signal::stored(personal)
                    refused=Signal::derive(move || matches!(submit.value().get(), Some(Err(AppError::PasswordMismatch))))
                />
                <button type="submit" class="button">{t!(i18n, factors.change_password)}</button>
            </form>
        </section>
    }
}
