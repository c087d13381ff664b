//! *Changer mon adresse de connexion* (rule P6) on every backend: a link to
//! the new address makes it the login address, once, within 24 hours; one
//! request at a time; an address in use is refused, at the request and at
//! the confirmation; the other sessions end, old links die, both addresses
//! are told; requests are rationed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts::{self, address};
use app::backend::sessions::{self, Lifetimes};
use app::domain::account::LinkFailure;
use app::domain::address_change::{AddressChangeRefusal, AddressKind, REQUESTS_PER_DAY};
use app::domain::refusal::Refusal;
use common::{active_user, count_events, last_mail, logged_in_session, refused, token_in};

const IP: &str = "192.0.2.7";
const LOGIN: AddressKind = AddressKind::Login;
const CONTACT: AddressKind = AddressKind::Contact;

#[tokio::test]
async fn the_link_makes_the_new_address_the_login_address_once() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "marie@example.fr").await;
        let here = logged_in_session(&state, marie.id).await;
        let elsewhere = logged_in_session(&state, marie.id).await;
        // A reset link sent to the old address before the change.
        accounts::request_reset(&state, "marie@example.fr", IP)
            .await
            .unwrap();
        let reset = token_in(&last_mail(&state, "marie@example.fr").await.unwrap());

        let until = address::request(&state, &marie, LOGIN, "marie.curie@example.org", IP)
            .await
            .unwrap();
        let left = (until - state.clock.now()).num_minutes();
        assert!(
            (23 * 60 + 59..=24 * 60).contains(&left),
            "valid 24 hours: {left} min"
        );
        let mail = last_mail(&state, "marie.curie@example.org").await.unwrap();
        assert!(
            mail.text_body
                .contains("/confirmer-adresse-de-connexion?jeton=")
        );
        let token = token_in(&mail);
        let waiting = address::pending(&state.db, marie.id, LOGIN, state.clock.now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(waiting.new_address, "marie.curie@example.org");

        // Nothing changes before the link is used; a second request is told
        // about the first.
        let again = address::request(&state, &marie, LOGIN, "autre@example.org", IP).await;
        assert_eq!(
            refused(again),
            Err(Refusal::AddressChange(AddressChangeRefusal::Pending {
                new_address: "marie.curie@example.org".into(),
                expires_at: waiting.expires_at.to_rfc3339(),
            }))
        );
        assert!(last_mail(&state, "autre@example.org").await.is_none());

        let changed = address::confirm(&state, &token, Some(here.expose()), IP)
            .await
            .unwrap();
        assert_eq!(changed.kind, LOGIN);
        assert_eq!(changed.address, "marie.curie@example.org");
        let found = accounts::find_by_login(&state.db, "marie.curie@example.org")
            .await
            .unwrap()
            .expect("the account under its new address");
        assert_eq!(found.id, marie.id);
        assert!(
            found.search_key.contains("MARIE.CURIE@EXAMPLE.ORG"),
            "{}",
            found.search_key
        );
        assert!(
            accounts::find_by_login(&state.db, "marie@example.fr")
                .await
                .unwrap()
                .is_none()
        );

        // This session stays, the other ends; the old address's reset link is dead.
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let now = state.clock.now();
        assert!(
            sessions::resume(&state.db, here.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::resume(&state.db, elsewhere.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_none()
        );
        let dead = accounts::set_password_with_link(&state, &reset, "Zyxwvu9!tsrq").await;
        assert!(matches!(refused(dead), Err(Refusal::Link(_))));

        // Both addresses are told; the change is audited.
        let old = last_mail(&state, "marie@example.fr").await.unwrap();
        assert!(
            old.text_body.contains("marie.curie@example.org"),
            "{}",
            old.text_body
        );
        let new = last_mail(&state, "marie.curie@example.org").await.unwrap();
        assert_ne!(
            new.id, mail.id,
            "the new address is told the change is made"
        );
        assert_eq!(
            count_events(&state, "account.address_change_requested").await,
            1
        );
        assert_eq!(count_events(&state, "account.address_changed").await, 1);

        // The link works once; a new request may follow.
        let twice = address::confirm(&state, &token, None, IP).await;
        assert_eq!(refused(twice), Err(Refusal::Link(LinkFailure::AlreadyUsed)));
        let unknown = address::confirm(&state, "pas-un-jeton", None, IP).await;
        assert_eq!(refused(unknown), Err(Refusal::Link(LinkFailure::Unknown)));
        let found = accounts::find_by_login(&state.db, "marie.curie@example.org")
            .await
            .unwrap()
            .unwrap();
        address::request(&state, &found, LOGIN, "troisieme@example.org", IP)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_unused_link_lapses_after_24_hours() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "lapse@example.fr").await;
        address::request(&state, &marie, LOGIN, "lapse-new@example.org", IP)
            .await
            .unwrap();
        let token = token_in(&last_mail(&state, "lapse-new@example.org").await.unwrap());
        state.clock.advance(24 * 3600);
        let late = address::confirm(&state, &token, None, IP).await;
        assert_eq!(refused(late), Err(Refusal::Link(LinkFailure::Expired)));
        assert!(
            accounts::find_by_login(&state.db, "lapse@example.fr")
                .await
                .unwrap()
                .is_some()
        );
        // The lapsed request no longer blocks a new one.
        assert!(
            address::pending(&state.db, marie.id, LOGIN, state.clock.now())
                .await
                .unwrap()
                .is_none()
        );
        address::request(&state, &marie, LOGIN, "lapse-new@example.org", IP)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_address_in_use_is_refused_at_the_request_and_at_the_link() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "taken-a@example.fr").await;
        active_user(&state, "taken-b@example.fr").await;
        let asked = address::request(&state, &marie, LOGIN, "taken-b@example.fr", IP).await;
        assert_eq!(
            refused(asked),
            Err(Refusal::AddressChange(AddressChangeRefusal::Unavailable))
        );

        // Taken between the request and the link: nothing changes.
        address::request(&state, &marie, LOGIN, "taken-c@example.fr", IP)
            .await
            .unwrap();
        let token = token_in(&last_mail(&state, "taken-c@example.fr").await.unwrap());
        active_user(&state, "taken-c@example.fr").await;
        let late = address::confirm(&state, &token, None, IP).await;
        assert_eq!(
            refused(late),
            Err(Refusal::AddressChange(AddressChangeRefusal::Unavailable))
        );
        let still = accounts::find_by_login(&state.db, "taken-a@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(still.id, marie.id);
        assert_eq!(count_events(&state, "account.address_changed").await, 0);
    })
    .await;
}

#[tokio::test]
async fn requests_are_rationed_and_a_link_used_twice_at_once_works_once() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "ration@example.fr").await;
        active_user(&state, "ration-other@example.fr").await;
        for _ in 0..REQUESTS_PER_DAY {
            let asked =
                address::request(&state, &marie, LOGIN, "ration-other@example.fr", IP).await;
            assert_eq!(
                refused(asked),
                Err(Refusal::AddressChange(AddressChangeRefusal::Unavailable))
            );
        }
        let over = address::request(&state, &marie, LOGIN, "ration-new@example.org", IP).await;
        assert_eq!(
            refused(over),
            Err(Refusal::AddressChange(
                AddressChangeRefusal::TooManyRequests
            ))
        );
        assert!(last_mail(&state, "ration-new@example.org").await.is_none());

        state.clock.advance(24 * 3600 + 1);
        address::request(&state, &marie, LOGIN, "ration-new@example.org", IP)
            .await
            .unwrap();
        let token = token_in(&last_mail(&state, "ration-new@example.org").await.unwrap());
        let (a, b) = tokio::join!(
            address::confirm(&state, &token, None, IP),
            address::confirm(&state, &token, None, IP)
        );
        let outcomes = [refused(a), refused(b)];
        assert_eq!(
            outcomes.iter().filter(|o| o.is_ok()).count(),
            1,
            "{outcomes:?}"
        );
        assert_eq!(count_events(&state, "account.address_changed").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_contact_address_changes_through_its_link_and_a_new_request_replaces_a_waiting_one() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let marie = active_user(&state, "contact@example.fr").await;
        let colleague = active_user(&state, "shared@example.fr").await;
        let session = logged_in_session(&state, marie.id).await;

        address::request(&state, &marie, CONTACT, "typo@exmaple.org", IP)
            .await
            .unwrap();
        let mistyped = token_in(&last_mail(&state, "typo@exmaple.org").await.unwrap());
        // A second request replaces the first (and its link).
        address::request(&state, &marie, CONTACT, "shared@example.fr", IP)
            .await
            .unwrap();
        let waiting = address::pending(&state.db, marie.id, CONTACT, state.clock.now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(waiting.new_address, "shared@example.fr");
        let dead = address::confirm(&state, &mistyped, None, IP).await;
        assert_eq!(refused(dead), Err(Refusal::Link(LinkFailure::Unknown)));
        // A contact change leaves the login one alone, and the other way round.
        assert!(
            address::pending(&state.db, marie.id, LOGIN, state.clock.now())
                .await
                .unwrap()
                .is_none()
        );

        // Another account's login address may be a contact address.
        let token = token_in(&last_mail(&state, "shared@example.fr").await.unwrap());
        let changed = address::confirm(&state, &token, None, IP).await.unwrap();
        assert_eq!(changed.kind, CONTACT);
        let found = accounts::find_by_login(&state.db, "contact@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.contact_email, "shared@example.fr");
        assert_ne!(found.id, colleague.id);
        // The old contact address is told; no session ends.
        let told = last_mail(&state, "contact@example.fr").await.unwrap();
        assert!(
            told.text_body.contains("shared@example.fr"),
            "{}",
            told.text_body
        );
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let now = state.clock.now();
        assert!(
            sessions::resume(&state.db, session.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(count_events(&state, "account.contact_changed").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_contact_address_typed_at_sign_up_counts_once_its_link_is_used() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let mut signup = common::form("inscrite@example.fr");
        signup.contact_email = "contact-inscrite@example.org".into();
        accounts::sign_up(&state, &signup, app::domain::preferences::Language::Fr)
            .await
            .unwrap();
        let created = accounts::find_by_login(&state.db, "inscrite@example.fr")
            .await
            .unwrap()
            .unwrap();
        // Until its link is used, notifications go to the login address.
        assert_eq!(
            created.contact_email, "inscrite@example.fr",
            "{}",
            backend.name
        );
        let link = last_mail(&state, "contact-inscrite@example.org")
            .await
            .expect("a link to the contact address");
        assert!(
            link.text_body
                .contains("/confirmer-adresse-de-contact?jeton=")
        );
        // The link works before the activation (it may be read first).
        let changed = address::confirm(&state, &token_in(&link), None, IP)
            .await
            .unwrap();
        assert_eq!(changed.kind, CONTACT);
        let confirmed = accounts::find_by_login(&state.db, "inscrite@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(confirmed.contact_email, "contact-inscrite@example.org");
        assert_eq!(
            count_events(&state, "account.contact_change_requested").await,
            1
        );
        // The same contact address as the login: no link.
        accounts::sign_up(
            &state,
            &common::form("seule@example.fr"),
            app::domain::preferences::Language::Fr,
        )
        .await
        .unwrap();
        assert_eq!(
            count_events(&state, "account.contact_change_requested").await,
            1
        );
    })
    .await;
}
