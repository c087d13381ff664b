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
use crate::domain::preferences::{
    ACCESSIBILITY_COOKIE, LANGUAGE_COOKIE, Language, PREFERENCE_COOKIE_MAX_AGE_SECS,
};
use crate::i18n::*;
use codee::string::FromToStringCodec;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::context::{I18nContextOptions, init_i18n_context_with_options};
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

/// The page's language, from the language cookie (rule P4), for `use_i18n`
/// and `<html lang dir>`. It does what leptos_i18n's generated
/// `I18nContextProvider` does, but for one thing.
///
/// leptos_i18n makes an *isomorphic* effect that writes the locale back to
/// its cookie. On the server that effect is a task spawned for the request,
/// which tokio may first poll after the response has been sent and the
/// request's reactive values disposed: it then reads a disposed signal and
/// panics (seen under load, issue 16). The server never changes the locale
/// during a render (the cookie is written by `set_preferences`), so the
/// context is made in an owner of its own which, on the server, is paused
/// at once: its effects never run there. The browser runs them as before.
#[component]
pub fn LanguageProvider(children: Children) -> impl IntoView {
    let scope = Owner::new();
    let i18n = scope.with(|| {
        init_i18n_context_with_options::<Locale>(
            I18nContextOptions::default()
                .cookie_name(LANGUAGE_COOKIE)
                .ssr_lang_header_getter(ignore_accept_language()),
        )
    });
    if cfg!(feature = "ssr") {
        scope.pause();
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
