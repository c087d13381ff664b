//! The language switch and the accessibility toggle of the header.
//!
//! Each is a small form posting to the `set_preferences` server function, so
//! it works before the WASM has loaded (the server sets the cookie and sends
//! the browser back) and after (the form is sent with `fetch` and the page
//! changes in place).

use crate::api::preferences::SetPreferences;
use crate::components::layout::use_display_mode;
use crate::domain::preferences::Language;
use crate::i18n::*;
use leptos::form::ActionForm;
use leptos::prelude::*;

fn locale_of(language: Language) -> Locale {
    match language {
        Language::Fr => Locale::fr,
        Language::En => Locale::en,
    }
}

/// Applies what the server accepted to the page without reloading it.
fn apply_changes(action: ServerAction<SetPreferences>) {
    let i18n = use_i18n();
    let display = use_display_mode();
    Effect::new(move |_| {
        if let Some(Ok(change)) = action.value().get() {
            if let Some(language) = change.language {
                i18n.set_locale(locale_of(language));
            }
            if let (Some(on), Some(display)) = (change.accessibility, display) {
                display.set_accessible(on);
            }
        }
    });
}

/// Offers the other language, named in that language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetPreferences>::new();
    apply_changes(action);
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="language" value=move || t_string!(i18n, other_language_tag) />
            <button type="submit" class="tool-button" lang=move || t_string!(i18n, other_language_tag)>
                {t!(i18n, other_language)}
            </button>
        </ActionForm>
    }
}

/// A toggle button: `aria-pressed` tells whether the mode is on.
#[component]
pub fn AccessibilityToggle() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetPreferences>::new();
    apply_changes(action);
    let display = use_display_mode();
    let on = move || display.is_some_and(|d| d.accessible.get());
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="accessibility" value=move || if on() { "off" } else { "on" } />
            <button
                type="submit"
                class="tool-button"
                aria-pressed=move || if on() { "true" } else { "false" }
            >
                {t!(i18n, accessibility_mode)}
            </button>
        </ActionForm>
    }
}
