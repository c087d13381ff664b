//! *Mon compte* (rule P1) on every backend: each field is saved on its own,
//! as the shared check normalised it, audited; an optional field can be
//! emptied; a name change refreshes the managers' search key.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts::{self, details};
use app::domain::my_account::{AccountField, check_account_field};
use common::{active_user, count_events};

const IP: &str = "192.0.2.8";

#[tokio::test]
async fn each_field_is_saved_on_its_own_and_audited() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "fiche@example.fr").await;
        let saves = [
            (AccountField::LastName, "  Skłodowska "),
            (AccountField::Phone, "+33 1 23 45 67 89"),
            (
                AccountField::WorkAddress,
                "12 rue de la Paix\r\n75002 Paris",
            ),
            (AccountField::Biography, "Physicienne et chimiste."),
        ];
        for (field, typed) in saves {
            let value = check_account_field(field, typed).unwrap();
            details::save(&state, &marie, field, value, IP)
                .await
                .unwrap();
        }
        let saved = accounts::find_by_login(&state.db, "fiche@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(saved.last_name, "Skłodowska");
        assert_eq!(saved.first_name, "Marie", "untouched");
        assert_eq!(saved.phone.as_deref(), Some("+33 1 23 45 67 89"));
        assert_eq!(
            saved.work_address.as_deref(),
            Some("12 rue de la Paix\n75002 Paris")
        );
        assert_eq!(saved.biography.as_deref(), Some("Physicienne et chimiste."));
        assert!(
            saved.search_key.contains("SKLODOWSKA"),
            "{}",
            saved.search_key
        );
        assert_eq!(count_events(&state, "account.details_changed").await, 4);

        // An optional field is emptied.
        details::save(&state, &saved, AccountField::Biography, None, IP)
            .await
            .unwrap();
        let emptied = accounts::find_by_login(&state.db, "fiche@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(emptied.biography, None);
        assert_eq!(emptied.work_address, saved.work_address);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_tabs_changing_both_names_at_once_leave_both_in_the_search_key() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        // Both tabs hold the session's copy, read before either change.
        let marie = active_user(&state, "deux-onglets@example.fr").await;
        let (last, first) = tokio::join!(
            details::save(
                &state,
                &marie,
                AccountField::LastName,
                Some("Curie".into()),
                IP
            ),
            details::save(
                &state,
                &marie,
                AccountField::FirstName,
                Some("Irène".into()),
                IP
            ),
        );
        last.unwrap();
        first.unwrap();
        let saved = accounts::find_by_login(&state.db, "deux-onglets@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (saved.last_name.as_str(), saved.first_name.as_str()),
            ("Curie", "Irène")
        );
        assert!(
            saved.search_key.contains("CURIE") && saved.search_key.contains("IRENE"),
            "[{}] {}",
            backend.name,
            saved.search_key
        );
    })
    .await;
}

#[tokio::test]
async fn the_survey_consent_is_saved_with_the_other_preferences() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "enquetes@example.fr").await;
        assert!(!marie.survey_consent, "off until given");
        let english = Some(app::domain::preferences::Language::En);
        accounts::preferences::save(&state, marie.id, english, Some(true), Some(true))
            .await
            .unwrap();
        let saved = accounts::find_by_login(&state.db, "enquetes@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert!(saved.survey_consent && saved.accessibility);
        assert_eq!(saved.language, "en");
        // The header's tools leave the consent alone.
        accounts::preferences::save(&state, marie.id, None, Some(false), None)
            .await
            .unwrap();
        let again = accounts::find_by_login(&state.db, "enquetes@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert!(again.survey_consent && !again.accessibility);
    })
    .await;
}
