//! The display preferences (rule P4): the display mode (the accessibility
//! mode, which the whole page follows through a class on `<html>`), the
//! language's default, and the header's language switch and accessibility
//! toggle that change them.
//!
//! Each tool is a small form posting to the `set_preferences` server
//! function, so it works before the WASM has loaded (the server sets the
//! cookie and sends the browser back) and after (the form is sent with
//! `fetch` and the page changes in place). The page frame (`layout`) only
//! places them; nothing here depends on it.

use crate::api::preferences::SetPreferences;
use crate::domain::preferences::{ACCESSIBILITY_COOKIE, Language, PREFERENCE_COOKIE_MAX_AGE_SECS};
use crate::i18n::*;
use codee::string::FromToStringCodec;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Html;
use leptos_use::{SameSite, UseCookieOptions, UseLocalesOptions, use_cookie_with_options};

/// The accessibility mode, readable and switchable from any component.
#[derive(Clone, Copy)]
pub struct DisplayMode {
    pub accessible: Signal<bool>,
    set_cookie: WriteSignal<Option<String>>,
}

impl DisplayMode {
    /// Turns the mode on or off; the cookie keeps the choice across visits.
    pub fn set_accessible(&self, on: bool) {
        self.set_cookie
            .set(Some(if on { "1" } else { "0" }.to_owned()));
    }
}

/// Reads the accessibility cookie (from the request on the server, from the
/// document in the browser) and applies the mode to `<html>`.
#[component]
pub fn DisplayModeProvider(children: Children) -> impl IntoView {
    let options = UseCookieOptions::default()
        .path("/")
        .max_age(PREFERENCE_COOKIE_MAX_AGE_SECS as i64 * 1000)
        .same_site(SameSite::Lax);
    let (cookie, set_cookie) =
        use_cookie_with_options::<String, FromToStringCodec>(ACCESSIBILITY_COOKIE, options);
    let accessible = Signal::derive(move || cookie.get().as_deref() == Some("1"));
    provide_context(DisplayMode {
        accessible,
        set_cookie,
    });
    view! {
        <Html attr:class=move || accessible.get().then_some("a11y") />
        {children()}
    }
}

/// The display mode provided by [`DisplayModeProvider`].
pub fn use_display_mode() -> Option<DisplayMode> {
    use_context::<DisplayMode>()
}

/// The portal is French unless the visitor chose otherwise: the browser's
/// Accept-Language is deliberately ignored, as on the platform it models.
pub fn ignore_accept_language() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

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
