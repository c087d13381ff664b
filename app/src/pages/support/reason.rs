//! The form of Support's decisions that need a reason (rule U2): refusing
//! a structure, deactivating or reactivating an account. The reason is
//! checked as typed by `domain::support::check_reason` (and again on the
//! server), then the page's action runs with it.

use crate::components::form::TextAreaField;
use crate::components::messages::{error_text, field_problem_text};
use crate::domain::support::check_reason;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// A reason and the button that sends it; `done` runs on success (after
/// the reason is cleared), an error is put in `message`.
#[component]
pub fn ReasonForm(
    /// The text area's id.
    id: &'static str,
    /// The button's text.
    #[prop(into)]
    submit: Signal<String>,
    action: Action<String, Result<(), AppError>>,
    message: RwSignal<Option<(bool, String)>>,
    done: Callback<()>,
    /// A *Annuler* button, when the form can be closed.
    #[prop(optional)]
    cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            text.set(String::new());
            done.run(());
        }
        Some(Err(AppError::Reason(found))) => problem.set(Some(field_problem_text(i18n, found))),
        Some(Err(error)) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_reason(&text.get_untracked()) {
            Ok(reason) => {
                problem.set(None);
                action.dispatch(reason);
            }
            Err(found) => problem.set(Some(field_problem_text(i18n, found))),
        }
    };
    view! {
        <form class="reason-form" on:submit=send novalidate>
            <TextAreaField
                id=id
                label=Signal::derive(move || t_string!(i18n, desk.reason).to_owned())
                value=text
                error=problem
                rows=3
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {move || submit.get()}
            </button>
            {cancel.map(|cancel| view! {
                " "
                <button type="button" class="button-secondary" on:click=move |_| cancel.run(())>
                    {t!(i18n, desk.cancel)}
                </button>
            })}
        </form>
    }
}
