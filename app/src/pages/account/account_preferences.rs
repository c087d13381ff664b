//! *Préférences utilisateurs* on *Mon compte* (rule P4, seed 001 §2.2.5):
//! *Accessibilité activée*, the consent to satisfaction surveys, *Langue*.
//! The choices wait on the page; *Actualiser pour afficher les
//! changements* appears once one differs from what is saved, saves them on
//! the account and reloads the page in the chosen language and mode.
//!
//! The two on/off choices are [`Switch`]es.

use crate::api::preferences::save_account_preferences;
use crate::components::form::{FormMessage, Switch};
use crate::components::messages::error_text;
use crate::domain::preferences::Language;
use crate::i18n::*;
use leptos::prelude::*;

/// The section, starting from the account's saved choices.
#[component]
pub fn PreferencesSection(
    language: Language,
    accessibility: bool,
    survey_consent: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen_language = RwSignal::new(language);
    let chosen_accessibility = RwSignal::new(accessibility);
    let chosen_consent = RwSignal::new(survey_consent);
    let changed = move || {
        chosen_language.get() != language
            || chosen_accessibility.get() != accessibility
            || chosen_consent.get() != survey_consent
    };
    let save = Action::new(
        move |(language, accessibility, consent): &(Language, bool, bool)| {
            let accessibility = if *accessibility { "on" } else { "off" };
            save_account_preferences(
                language.tag().to_owned(),
                accessibility.to_owned(),
                *consent,
            )
        },
    );
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    let message = Signal::derive(move || match save.value().get() {
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
        _ => None,
    });
    view! {
        <section class="panel" aria-labelledby="preferences-utilisateurs">
            <h2 id="preferences-utilisateurs">{t!(i18n, account.preferences)}</h2>
            <FormMessage message />
            <Switch id="preference-accessibilite" on=chosen_accessibility>
                {t!(i18n, account.accessibility)}
            </Switch>
            <Switch id="preference-enquetes" on=chosen_consent>
                {t!(i18n, account.surveys)}
            </Switch>
            <div class="field">
                <label for="preference-langue">{t!(i18n, account.language)}</label>
                <select
                    id="preference-langue"
                    on:change=move |ev| {
                        if let Some(language) = Language::parse(&event_target_value(&ev)) {
                            chosen_language.set(language);
                        }
                    }
                >
                    <option value="fr" selected=move || chosen_language.get() == Language::Fr>
                        "Français"
                    </option>
                    <option value="en" lang="en" selected=move || chosen_language.get() == Language::En>
                        "English"
                    </option>
                </select>
            </div>
            <Show when=changed>
                <button
                    type="button"
                    class="button"
                    disabled=move || save.pending().get()
                    on:click=move |_| {
                        save.dispatch((
                            chosen_language.get_untracked(),
                            chosen_accessibility.get_untracked(),
                            chosen_consent.get_untracked(),
                        ));
                    }
                >
                    {t!(i18n, account.refresh)}
                </button>
            </Show>
        </section>
    }
}
