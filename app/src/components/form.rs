//! Form building blocks: a labelled text field whose error sits next to it,
//! is tied to the input (`aria-describedby`, `aria-invalid`) and announced
//! to screen readers; and the banner for errors of the whole form.
//!
//! The portal's forms follow one of two patterns (the README's architecture
//! section says the same):
//!
//! - `ActionForm` (`leptos::form`) for the one-button forms that must work
//!   before the WASM has hydrated (*Se déconnecter*, the language switch and
//!   the accessibility mode in the header): the browser posts them to the
//!   server function, which sends it back to the page (`Referer`); once
//!   hydrated the same form is sent with `fetch`.
//! - `<form method="post" novalidate on:submit=…>` that prevents the default and
//!   dispatches an `Action` around the server function, for the forms that
//!   need the WASM anyway: live validation with the `domain` rules (errors
//!   shown by [`TextField`] as the user types), the captcha's proof of work,
//!   WebAuthn ceremonies, or an outcome shown in the page ([`FormMessage`]).
//!
//!   `method="post"` matters: submitted before the WASM has hydrated, such a
//!   form is posted to the page (which refuses it) instead of being sent as
//!   a GET with its fields, a password among them, in the address, the
//!   history and the server's logs.
//!
//! A new form picks the first pattern if it has no such need.

use leptos::prelude::*;

/// A labelled input. `error` is shown (and announced) when it is `Some`;
/// a field that is never wrong on its own leaves it out.
#[component]
pub fn TextField(
    /// The input's id and name.
    id: &'static str,
    /// The visible label (its accessible name).
    #[prop(into)]
    label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// Called when the field loses focus (to start showing its error).
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-erreur");
    let hint_id = format!("{id}-aide");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            // The asterisk stays outside the label: the accessible name is
            // the label's text alone, and `required` says the rest.
            <div class="label-row">
                <label for=id>{move || label.get()}</label>
                {required.then(|| view! { <span class="required" aria-hidden="true">"*"</span> })}
            </div>
            {hint.map(|hint| view! { <p id=hint_id.clone() class="hint">{move || hint.get()}</p> })}
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| {
                    if let Some(on_blur) = on_blur {
                        on_blur.run(());
                    }
                }
            />
            <p id=error_id class="field-error-text" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled multi-line field (a `<textarea>`), with its error tied to it
/// as in [`TextField`]. Kept apart from `TextField`, which every form
/// shares: its view is compiled once per shape, and the main module should
/// not carry a text area that only *Mon compte* uses.
#[component]
pub fn TextAreaField(
    /// The text area's id and name.
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let error_id = format!("{id}-erreur");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <div class="label-row">
                <label for=id>{move || label.get()}</label>
            </div>
            <textarea
                id=id
                name=id
                rows=rows
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p id=error_id class="field-error-text" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A message about the whole form: an alert for errors, a status otherwise.
#[component]
pub fn FormMessage(#[prop(into)] message: Signal<Option<(bool, String)>>) -> impl IntoView {
    move || {
        message.get().map(|(is_error, text)| {
            if is_error {
                view! { <p class="form-message form-message-error" role="alert">{text}</p> }
                    .into_any()
            } else {
                view! { <p class="form-message" role="status">{text}</p> }.into_any()
            }
        })
    }
}

/// An on/off choice: a checkbox drawn as a switch (`role="switch"`), with
/// its state also written beside it ("Activée", "Désactivée"), so it is not
/// told by colour alone. The label is the children.
#[component]
pub fn Switch(id: &'static str, on: RwSignal<bool>, children: Children) -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    let state = move || {
        if on.get() {
            t_string!(i18n, account.switch_on)
        } else {
            t_string!(i18n, account.switch_off)
        }
    };
    view! {
        <div class="field field-inline">
            <input
                type="checkbox"
                role="switch"
                class="switch"
                id=id
                prop:checked=move || on.get()
                on:change=move |ev| on.set(event_target_checked(&ev))
            />
            <label for=id>{children()}</label>
            <span class="switch-state">{state}</span>
        </div>
    }
}

/// Focuses the first element `selector` matches once the view that holds
/// it is in the page (the next frame): an editor just opened, a panel just
/// shown.
pub fn focus_soon(selector: impl Into<String>) {
    let selector = selector.into();
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
