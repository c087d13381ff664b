//! *Désactiver mon compte* (rule P5) on every backend: the password is
//! asked, a primary manager must first name successors, a deactivated
//! account cannot log in and its sessions end, and *Mot de passe oublié ?*
//! sends it a link that reactivates it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts::{self, deactivation};
use app::backend::entities::user::UserStatus;
use app::backend::sessions::{self, Lifetimes};
use app::backend::structures;
use app::domain::factors::FactorRefusal;
use app::domain::login::LoginRefusal;
use app::domain::my_account::DeactivationRefusal;
use app::domain::refusal::Refusal;
use common::{
    PASSWORD, active_user, count_events, last_mail, logged_in_session, outside_the_eu, refused,
    token_in,
};

const IP: &str = "192.0.2.9";

#[tokio::test]
async fn a_deactivated_account_cannot_log_in_until_a_reset_link_reactivates_it() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "depart@example.fr").await;
        let session = logged_in_session(&state, marie.id).await;

        let wrong = deactivation::deactivate(&state, &marie, "Mauvais-1!xyz", IP).await;
        assert_eq!(
            refused(wrong),
            Err(Refusal::Factor(FactorRefusal::WrongCurrentPassword))
        );
        deactivation::deactivate(&state, &marie, PASSWORD, IP)
            .await
            .unwrap();
        let found = accounts::find_by_login(&state.db, "depart@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.status, UserStatus::Disabled);
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let now = state.clock.now();
        assert!(
            sessions::resume(&state.db, session.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_none()
        );
        let told = last_mail(&state, "depart@example.fr").await.unwrap();
        assert!(told.subject.contains("désactivé"), "{}", told.subject);
        let login = accounts::check_password(&state, "depart@example.fr", PASSWORD, IP).await;
        assert_eq!(
            refused(login),
            Err(Refusal::Login(LoginRefusal::BadCredentials))
        );
        assert_eq!(count_events(&state, "account.deactivated").await, 1);

        // *Mot de passe oublié ?*: a link that reactivates the account.
        accounts::request_reset(&state, "depart@example.fr", IP)
            .await
            .unwrap();
        let mail = last_mail(&state, "depart@example.fr").await.unwrap();
        assert!(mail.subject.contains("Réactivez"), "{}", mail.subject);
        accounts::set_password_with_link(&state, &token_in(&mail), "Nouveau-2!mdp")
            .await
            .unwrap();
        let back = accounts::check_password(&state, "depart@example.fr", "Nouveau-2!mdp", IP)
            .await
            .unwrap();
        assert_eq!(back.status, UserStatus::Active);
        assert_eq!(count_events(&state, "account.reactivated").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_primary_manager_names_successors_first() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "gerant@example.fr").await;
        structures::create(&state, &owner, &outside_the_eu("DEA-1", "Acme"), IP)
            .await
            .unwrap();
        assert_eq!(
            deactivation::successors_needed(&state.db, owner.id)
                .await
                .unwrap(),
            vec!["Acme".to_owned()]
        );
        let refused_now = deactivation::deactivate(&state, &owner, PASSWORD, IP).await;
        assert_eq!(
            refused(refused_now),
            Err(Refusal::Deactivation(DeactivationRefusal::PrimaryManager {
                structures: vec!["Acme".into()]
            }))
        );
        let still = accounts::find_by_login(&state.db, "gerant@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(still.status, UserStatus::Active);
    })
    .await;
}
