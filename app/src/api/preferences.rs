//! Saving the display preferences (language, accessibility mode): the
//! header's tools, for visitors and users, and *Préférences utilisateurs*
//! on *Mon compte* (rule P4), with the consent to satisfaction surveys.

use crate::domain::preferences::Language;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the server applied, so the page can follow without a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferenceChange {
    pub language: Option<Language>,
    pub accessibility: Option<bool>,
}

/// Sets the language and/or the accessibility mode cookies. A value that is
/// not one of the accepted ones changes nothing and is refused.
#[server(endpoint = "preferences")]
pub async fn set_preferences(
    language: Option<String>,
    accessibility: Option<String>,
) -> Result<PreferenceChange, AppError> {
    use super::session::logged_in;
    use crate::backend::{accounts, app_state};
    let change = ssr::parse(language.as_deref(), accessibility.as_deref())?;
    ssr::set_cookies(&change)?;
    // Logged in: saved on the account too, so that it follows the user.
    let state = app_state()?;
    if let Ok(me) = logged_in(&state).await {
        let (language, accessibility) = (change.language, change.accessibility);
        accounts::preferences::save(&state, me.user.id, language, accessibility, None).await?;
    }
    Ok(change)
}

/// *Actualiser pour afficher les changements* on *Mon compte* (rule P4):
/// saves the three preferences on the account and sets the browser's
/// cookies, for the page to reload in the chosen language and mode.
#[server(endpoint = "account-preferences")]
pub async fn save_account_preferences(
    language: String,
    accessibility: String,
    survey_consent: bool,
) -> Result<(), AppError> {
    use super::session::logged_in;
    use crate::backend::{accounts, app_state};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let change = ssr::parse(Some(&language), Some(&accessibility))?;
    let (language, accessibility) = (change.language, change.accessibility);
    accounts::preferences::save(
        &state,
        me.user.id,
        language,
        accessibility,
        Some(survey_consent),
    )
    .await?;
    ssr::set_cookies(&change)
}

/// Sets the browser's preference cookies from what the account saved: a
/// login applies the account's choices (rule P4).
#[cfg(feature = "ssr")]
pub fn restore_saved(account: &crate::backend::sessions::User) -> Result<(), AppError> {
    let saved = crate::backend::accounts::preferences::saved(account);
    ssr::set_cookies(&PreferenceChange {
        language: Some(saved.language),
        accessibility: Some(saved.accessibility),
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::PreferenceChange;
    use crate::api::session::set_cookie;
    use crate::domain::preferences::{
        ACCESSIBILITY_COOKIE, LANGUAGE_COOKIE, Language, PREFERENCE_COOKIE_MAX_AGE_SECS,
        parse_switch,
    };
    use crate::error::AppError;
    use cookie::{Cookie, SameSite, time::Duration};

    pub fn parse(
        language: Option<&str>,
        accessibility: Option<&str>,
    ) -> Result<PreferenceChange, AppError> {
        let language = language
            .map(|tag| Language::parse(tag).ok_or_else(|| AppError::invalid("language")))
            .transpose()?;
        let accessibility = accessibility
            .map(|value| parse_switch(value).ok_or_else(|| AppError::invalid("accessibility")))
            .transpose()?;
        if language.is_none() && accessibility.is_none() {
            return Err(AppError::invalid("preferences"));
        }
        Ok(PreferenceChange {
            language,
            accessibility,
        })
    }

    fn preference_cookie(name: &'static str, value: &'static str) -> String {
        Cookie::build((name, value))
            .path("/")
            .max_age(Duration::seconds(PREFERENCE_COOKIE_MAX_AGE_SECS as i64))
            .same_site(SameSite::Lax)
            .build()
            .to_string()
    }

    pub fn set_cookies(change: &PreferenceChange) -> Result<(), AppError> {
        if let Some(language) = change.language {
            set_cookie(&preference_cookie(LANGUAGE_COOKIE, language.tag()))?;
        }
        if let Some(on) = change.accessibility {
            set_cookie(&preference_cookie(
                ACCESSIBILITY_COOKIE,
                if on { "1" } else { "0" },
            ))?;
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn accepted_values_are_parsed_and_others_refused() {
            let change = parse(Some("en"), None).unwrap();
            assert_eq!(change.language, Some(Language::En));
            assert_eq!(change.accessibility, None);
            let change = parse(None, Some("on")).unwrap();
            assert_eq!(change.accessibility, Some(true));
            assert_eq!(parse(Some("de"), None), Err(AppError::invalid("language")));
            assert_eq!(
                parse(None, Some("maybe")),
                Err(AppError::invalid("accessibility"))
            );
            assert_eq!(parse(None, None), Err(AppError::invalid("preferences")));
        }
    }
}
