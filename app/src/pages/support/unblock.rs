//! The unblocking procedure on a ticket's page (seed 000, rule U2): the
//! account the ticket is about and a new login address, to which a link is
//! sent. Nothing changes until that link is used; the current address is
//! told at once.

use crate::api::desk::unblock_account;
use crate::components::form::TextField;
use crate::components::messages::error_text;
use crate::domain::account::check_email;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn UnblockSection(
    id: i32,
    /// The account concerned: name and login address.
    account: String,
    /// Where the sender asked to be answered: the likeliest new address.
    suggested: String,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let address = RwSignal::new(suggested);
    let problem = RwSignal::new(None::<String>);
    let send = Action::new(move |new_address: &String| {
        let new_address = new_address.clone();
        async move { (new_address.clone(), unblock_account(id, new_address).await) }
    });
    Effect::new(move |_| match send.value().get() {
        Some((sent_to, Ok(()))) => {
            let text = t_string!(i18n, desk.unblock_sent, address = sent_to).to_string();
            message.set(Some((false, text)));
        }
        Some((_, Err(AppError::Fields(_)))) => {
            problem.set(Some(t_string!(i18n, field.InvalidEmail).to_owned()));
        }
        Some((_, Err(error))) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = address.get_untracked();
        match check_email(&typed) {
            Ok(_) => {
                problem.set(None);
                send.dispatch(typed);
            }
            Err(_) => problem.set(Some(t_string!(i18n, field.InvalidEmail).to_owned())),
        }
    };
    view! {
        <section aria-labelledby="debloquer">
            <h2 id="debloquer">{t!(i18n, desk.unblock_heading)}</h2>
            <p>{t!(i18n, desk.unblock_account)} " : " {account}</p>
            <p>{t!(i18n, desk.unblock_explained)}</p>
            <form on:submit=submit novalidate>
                <TextField
                    id="nouvelle-adresse"
                    label=Signal::derive(move || t_string!(i18n, desk.unblock_address).to_owned())
                    value=address
                    error=problem
                    input_type="email"
                    required=true
                />
                <button type="submit" class="button" disabled=move || send.pending().get()>
                    {t!(i18n, desk.unblock_send)}
                </button>
            </form>
        </section>
    }
}
