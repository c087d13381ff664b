//! The display preferences (rule P4): the display mode (the accessibility
//! mode, which the whole page follows through a class on `<html>`), the
//! language's default, and the header's language switch and accessibility
//! toggle that change them.
//!
//! Each tool is a small form posting to the `set_preferences` server
//! function, so it works before the WASM has loaded (the server sets the
//! cookie and sends the browser back) and after (the form is sent with
//! `fetch`, the server's answer sets the cookie, and the page changes in
//! place). The page frame (`layout`) only places them; nothing here depends
//! on it.
//!
//! Only the server reads and writes the preference cookies. The browser
//! learns the preferences from the page the server rendered (`<html lang>`
//! and its `a11y` class): cookie code in the WASM (leptos-use's
//! `use_cookie`, with the `cookie` and `time` crates) cost every first page
//! about 20 KB (issue 16).

use crate::api::preferences::SetPreferences;
use crate::domain::preferences::{Language, Preferences};
use crate::i18n::*;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::context::{I18nContextOptions, init_i18n_context_with_options};
use leptos_meta::Html;
use leptos_use::UseLocalesOptions;

/// The class `<html>` carries in the accessibility mode.
const ACCESSIBLE_CLASS: &str = "a11y";

/// The accessibility mode, readable and switchable from any component.
#[derive(Clone, Copy)]
pub struct DisplayMode {
    pub accessible: Signal<bool>,
    set: WriteSignal<bool>,
}

impl DisplayMode {
    /// Shows the page in the mode the server has just saved.
    pub fn set_accessible(&self, on: bool) {
        self.set.set(on);
    }
}

/// The preferences this page was rendered with: the request's cookies on the
/// server; in the browser, what the server rendered on `<html>`.
fn rendered_preferences() -> Preferences {
    #[cfg(feature = "ssr")]
    {
        crate::api::session::preferences()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let root = document().document_element();
        let attribute = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
        Preferences {
            language: attribute("lang")
                .and_then(|tag| Language::parse(&tag))
                .unwrap_or_default(),
            accessibility: attribute("class")
                .is_some_and(|classes| classes.split_whitespace().any(|c| c == ACCESSIBLE_CLASS)),
        }
    }
}

/// Applies the accessibility mode to `<html>`, and provides [`DisplayMode`].
#[component]
pub fn DisplayModeProvider(children: Children) -> impl IntoView {
    let (accessible, set) = signal(rendered_preferences().accessibility);
    provide_context(DisplayMode {
        accessible: accessible.into(),
        set,
    });
    view! {
        <Html attr:class=move || accessible.get().then_some(ACCESSIBLE_CLASS) />
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

/// The page's language, for `use_i18n` and `<html lang dir>`. It does what
/// leptos_i18n's generated `I18nContextProvider` does, but for two things.
///
/// - The language comes from the language cookie, read by the server (see
///   the module's documentation); leptos_i18n's own cookie handling is off
///   (no `cookie` feature). In the browser, leptos_i18n reads it from
///   `<html lang>`.
/// - leptos_i18n makes an *isomorphic* effect that writes the locale back to
///   its cookie. On the server that effect is a task spawned for the
///   request, which tokio may first poll after the response has been sent
///   and the request's reactive values disposed: it then reads a disposed
///   signal and panics (seen under load, issue 16). The server never changes
///   the locale during a render, so the context is made in an owner of its
///   own which, on the server, is paused at once: its effects never run
///   there. The browser runs them as before.
#[component]
pub fn LanguageProvider(children: Children) -> impl IntoView {
    let scope = Owner::new();
    let i18n = scope.with(|| {
        init_i18n_context_with_options::<Locale>(
            I18nContextOptions::default().ssr_lang_header_getter(ignore_accept_language()),
        )
    });
    if cfg!(feature = "ssr") {
        scope.pause();
        i18n.set_locale(locale_of(rendered_preferences().language));
    }
    // The parent owner only holds its children weakly: keep the scope (and
    // the context's signals) alive as long as the page.
    StoredValue::new(scope);
    provide_context(i18n);
    let lang = move || i18n.get_locale().as_str();
    let dir = move || i18n.get_locale().direction().as_str();
    view! {
        {children()}
        <Html attr:lang=lang attr:dir=dir />
    }
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
