//! The session cookie: its name, attributes and reading (rule L6).
//!
//! `__Host-portal_session` over https (browsers then refuse it unless it is
//! `Secure`, `Path=/` and without `Domain`, so no sibling subdomain can plant
//! or shadow it), `portal_session` over plain http; `HttpOnly`,
//! `SameSite=Lax` always.

use crate::backend::secrets::Token;
use crate::backend::settings::Settings;
use cookie::{Cookie, SameSite};

/// Whether cookies must be `Secure`: whenever users reach the portal over
/// https; plain http is only for a local portal (http://127.0.0.1:3000).
pub fn secure_cookies(settings: &Settings) -> bool {
    settings
        .site
        .public_url
        .trim()
        .to_ascii_lowercase()
        .starts_with("https://")
}

/// The name of the session cookie, the one place that decides it.
///
/// Over https it is `__Host-portal_session`: browsers accept a cookie with
/// that prefix only if it is `Secure`, has `Path=/` and no `Domain`, so a
/// neighbouring subdomain or a plain-http page cannot plant or shadow the
/// session (session fixation). Browsers refuse the prefix without `Secure`,
/// hence the plain name over http (local development, the test suites).
pub fn cookie_name(settings: &Settings) -> &'static str {
    if secure_cookies(settings) {
        "__Host-portal_session"
    } else {
        "portal_session"
    }
}

/// The session cookie with the attributes every variant shares; `Secure`
/// exactly when the name carries the `__Host-` prefix.
fn base_cookie(value: String, settings: &Settings) -> Cookie<'static> {
    Cookie::build((cookie_name(settings), value))
        .path("/")
        .http_only(true)
        .secure(secure_cookies(settings))
        .same_site(SameSite::Lax)
        .build()
}

/// The `Set-Cookie` value that stores `token` in the browser.
pub fn cookie(token: &Token, settings: &Settings) -> String {
    base_cookie(token.expose().to_owned(), settings).to_string()
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn removal_cookie(settings: &Settings) -> String {
    let mut removal = base_cookie(String::new(), settings);
    removal.make_removal();
    removal.to_string()
}

/// The session token in a `Cookie` request header, if any. Only the cookie
/// of [`cookie_name`] counts: over https a plain `portal_session` cookie,
/// which anyone on a sibling subdomain could set, is ignored.
pub fn token_from_cookie_header(header: &str, settings: &Settings) -> Option<String> {
    let name = cookie_name(settings);
    Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served_at(public_url: &str) -> Settings {
        let mut settings = Settings::default();
        settings.site.public_url = public_url.into();
        settings
    }

    #[test]
    fn over_https_the_cookie_is_host_prefixed_secure_http_only_and_lax() {
        let https = served_at("https://facturo.example.fr");
        let token = Token::generate();
        let set = cookie(&token, &https);
        assert!(
            set.starts_with(&format!("__Host-portal_session={}", token.expose())),
            "{set}"
        );
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(set.contains(attribute), "{set}");
        }
        assert!(!set.contains("Domain"), "{set}");
        let removal = removal_cookie(&https);
        assert!(removal.starts_with("__Host-portal_session=;"), "{removal}");
        assert!(
            removal.contains("Max-Age=0") && removal.contains("Secure"),
            "{removal}"
        );
    }

    #[test]
    fn over_http_the_cookie_has_the_plain_name_and_no_secure_flag() {
        let http = served_at("http://localhost:3000");
        let token = Token::generate();
        let set = cookie(&token, &http);
        assert!(
            set.starts_with(&format!("portal_session={}", token.expose())),
            "{set}"
        );
        assert!(!set.contains("Secure"), "{set}");
        assert!(removal_cookie(&http).starts_with("portal_session=;"));
    }

    #[test]
    fn the_token_is_read_from_the_cookie_of_the_configured_name_only() {
        let http = served_at("http://localhost:3000");
        let https = served_at("https://facturo.example.fr");
        let header = "a=1; portal_session=abc_-9; i18n_pref_locale=fr";
        assert_eq!(
            token_from_cookie_header(header, &http).as_deref(),
            Some("abc_-9")
        );
        assert_eq!(token_from_cookie_header(header, &https), None);
        let header = "portal_session=planted; __Host-portal_session=real";
        assert_eq!(
            token_from_cookie_header(header, &https).as_deref(),
            Some("real")
        );
        assert_eq!(token_from_cookie_header("a=1", &http), None);
        assert_eq!(token_from_cookie_header("portal_session=", &http), None);
    }
}
