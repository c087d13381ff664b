//! Display preferences a visitor chooses (rule P4): the language and the
//! accessibility mode. They are kept in cookies so that the server renders the
//! first page already in the chosen language and mode, and for a logged-in
//! user they are also saved on the account.

use serde::{Deserialize, Serialize};

/// Name of the cookie holding the language (leptos_i18n's default name,
/// kept so that earlier visitors keep their choice).
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";
/// Name of the cookie holding the accessibility mode (`1` on, `0` off).
pub const ACCESSIBILITY_COOKIE: &str = "portal_a11y";
/// How long a preference cookie lives: one year.
pub const PREFERENCE_COOKIE_MAX_AGE_SECS: u64 = 365 * 24 * 3600;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Language {
    #[default]
    Fr,
    En,
}

impl Language {
    /// The BCP 47 tag, as written in cookies and `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    /// Parses a tag; anything but `fr` or `en` is refused.
    pub fn parse(tag: &str) -> Option<Language> {
        match tag.trim() {
            "fr" => Some(Language::Fr),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// Parses the value of the accessibility switch as a form sends it.
pub fn parse_switch(value: &str) -> Option<bool> {
    match value.trim() {
        "1" | "on" | "true" => Some(true),
        "0" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// The preferences a visitor has chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Preferences {
    pub language: Language,
    pub accessibility: bool,
}

/// A language alone: the accessibility mode off.
impl From<Language> for Preferences {
    fn from(language: Language) -> Preferences {
        Preferences {
            language,
            accessibility: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn languages_round_trip_through_their_tags() {
        for language in [Language::Fr, Language::En] {
            assert_eq!(Language::parse(language.tag()), Some(language));
        }
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::parse(""), None);
        assert_eq!(Language::default(), Language::Fr);
    }

    #[test]
    fn the_switch_accepts_form_and_cookie_values_only() {
        assert_eq!(parse_switch("on"), Some(true));
        assert_eq!(parse_switch("1"), Some(true));
        assert_eq!(parse_switch("off"), Some(false));
        assert_eq!(parse_switch("0"), Some(false));
        assert_eq!(parse_switch("yes please"), None);
    }
}
