//! *Rattacher un utilisateur* on a structure's page (rule M2): a button
//! that opens a one-field form, the user's login address. The address is
//! checked as the user types with the same rule as the server
//! (`domain::account::check_email`); the server attaches the account at
//! once or invites the address, and the page says which.

use crate::api::members::add_structure_user;
use crate::components::form::TextField;
use crate::components::messages::{error_text, field_problem_text};
use crate::domain::account::check_email;
use crate::domain::members::Added;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The button and, once opened, the form. `message` receives the outcome;
/// `added` runs after a success (the page reloads its table).
#[component]
pub fn AddUser(
    structure_id: i32,
    message: RwSignal<Option<(bool, String)>>,
    added: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    // The server's answer, for the address it was about.
    let failure = RwSignal::new(None::<(String, String)>);
    let error = Signal::derive(move || {
        let typed = email.get();
        if let Some((address, text)) = failure.get()
            && check_email(&typed).is_ok_and(|t| t == address)
        {
            return Some(text);
        }
        if !touched.get() {
            return None;
        }
        check_email(&typed)
            .err()
            .map(|problem| field_problem_text(i18n, problem))
    });
    let add = Action::new(move |address: &String| {
        let address = address.clone();
        async move {
            let result = add_structure_user(structure_id, address.clone()).await;
            (address, result)
        }
    });
    Effect::new(move |_| {
        let Some((address, result)) = add.value().get() else {
            return;
        };
        match result {
            Ok(outcome) => {
                let text = match outcome {
                    Added::Attached => t_string!(i18n, members.added_attached, email = address),
                    Added::Invited => t_string!(i18n, members.added_invited, email = address),
                };
                message.set(Some((false, text.to_string())));
                open.set(false);
                email.set(String::new());
                touched.set(false);
                added.run(());
            }
            Err(AppError::Fields(problems)) => {
                let text = problems
                    .first()
                    .map(|(_, problem)| field_problem_text(i18n, *problem));
                failure.set(text.map(|text| (address, text)));
            }
            Err(other) => failure.set(Some((address, error_text(i18n, &other)))),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        failure.set(None);
        if let Ok(address) = check_email(&email.get_untracked()) {
            add.dispatch(address);
        }
    };
    view! {
        <button
            type="button"
            class="button-secondary"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls="rattacher-utilisateur"
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "+ " {t!(i18n, members.add)}
        </button>
        <form
            id="rattacher-utilisateur"
            method="post"
            novalidate
            hidden=move || !open.get()
            on:submit=submit
        >
            <TextField
                id="rattacher-adresse"
                label=Signal::derive(move || t_string!(i18n, members.add_email).to_owned())
                value=email
                error
                input_type="email"
                autocomplete="off"
                required=true
                on_blur=move || touched.set(true)
            />
            <div class="actions">
                <button type="submit" disabled=move || add.pending().get()>
                    {t!(i18n, members.add_submit)}
                </button>
                <button type="button" class="button-secondary" on:click=move |_| open.set(false)>
                    {t!(i18n, members.add_cancel)}
                </button>
            </div>
        </form>
    }
}
