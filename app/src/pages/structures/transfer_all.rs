//! *Transférer toutes vos structures vers un seul gestionnaire* (rule M3):
//! the structures the user is primary manager of, and one login address to
//! hand them all to, after a confirmation. The server hands over all of
//! them or none.

use crate::api::members::{primary_structures, transfer_all_structures};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{error_text, field_problem_text};
use crate::components::page_title::PageTitle;
use crate::domain::account::check_email;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn TransferAllPage() -> impl IntoView {
    let i18n = use_i18n();
    let held = Resource::new(|| (), |()| primary_structures());
    let email = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let error = Signal::derive(move || {
        touched
            .get()
            .then(|| check_email(&email.get()).err())
            .flatten()
            .map(|problem| field_problem_text(i18n, problem))
    });
    let transfer = Action::new(move |address: &String| {
        let address = address.clone();
        async move { (transfer_all_structures(address.clone()).await, address) }
    });
    Effect::new(move |_| {
        if let Some((result, address)) = transfer.value().get() {
            message.set(Some(match result {
                Ok(count) => (
                    false,
                    t_string!(i18n, members.transfer_all_done, count, email = address).to_string(),
                ),
                Err(error) => (true, error_text(i18n, &error)),
            }));
            held.refetch();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Ok(address) = check_email(&email.get_untracked()) else {
            return;
        };
        let count = held
            .get_untracked()
            .and_then(Result::ok)
            .map_or(0, |h| h.len());
        let question = t_string!(
            i18n,
            members.transfer_all_confirm,
            count,
            email = address.clone()
        )
        .to_string();
        if window().confirm_with_message(&question).unwrap_or(false) {
            transfer.dispatch(address);
        }
    };
    let content = move || {
        held.get().map(|result| match result {
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(list) if list.is_empty() => {
                view! { <p>{t!(i18n, members.transfer_all_none)}</p> }.into_any()
            }
            Ok(list) => {
                let items = list
                    .into_iter()
                    .map(|s| view! { <li>{s.name} " (" {s.identifier} ")"</li> })
                    .collect_view();
                view! {
                    <p>{t!(i18n, members.transfer_all_intro)}</p>
                    <ul>{items}</ul>
                    <p class="notice" role="note">{t!(i18n, members.transfer_all_rule)}</p>
                    <form method="post" novalidate on:submit=submit>
                        <TextField
                            id="nouveau-gestionnaire"
                            label=Signal::derive(move || {
                                t_string!(i18n, members.transfer_all_email).to_owned()
                            })
                            value=email
                            error
                            input_type="email"
                            required=true
                            on_blur=move || touched.set(true)
                        />
                        <button type="submit" disabled=move || transfer.pending().get()>
                            {t!(i18n, members.transfer_all_submit)}
                        </button>
                    </form>
                }
                .into_any()
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, members.transfer_all_title) />
        <h1>{t!(i18n, members.transfer_all_title)}</h1>
        <FormMessage message=message />
        <Transition>{content}</Transition>
        <p><A href="/mes-structures">{t!(i18n, structures.heading)}</A></p>
    }
}
