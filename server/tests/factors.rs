//! Authentication factors (rules F1–F4, L3) on every backend: the TOTP
//! window, replay refusal and the one-app rule; WebAuthn ceremonies with a
//! software authenticator (expiry, single use, counter); and that nobody
//! reaches another user's keys.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::entities::{mail_outbox, security_key, user};
use app::backend::factors;
use app::backend::factors::keys;
use app::backend::factors::totp::{self as totp, Enrolment};
use app::backend::{accounts, sessions};
use app::domain::factors::Factor;
use app::domain::factors::FactorRefusal;
use app::domain::login::LoginRefusal;
use app::domain::refusal::Refusal;
use common::refused;
use common::{PASSWORD, active_user, count_events, last_mail};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use totp_rs::{Builder, Secret};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::prelude::Url;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

const IP: &str = "192.0.2.1";

/// The code an app shows for `secret` at the server's time, moved by `offset` seconds.
fn code_at(state: &AppState, secret: &str, offset: i64) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .with_account_name("x")
        .build()
        .unwrap();
    let at = state.clock.now().timestamp() + offset;
    totp.generate(u64::try_from(at).unwrap()).to_string()
}

/// Moves the server clock to the start of the next 30-second step.
fn next_step(state: &AppState) {
    let into_step = state.clock.now().timestamp().rem_euclid(30);
    state.clock.advance(u32::try_from(30 - into_step).unwrap());
}

async fn user_with_app(state: &AppState, email: &str) -> (user::Model, String) {
    let user = active_user(state, email).await;
    let enrolment = Enrolment::new(state, &user).unwrap();
    let code = code_at(state, &enrolment.secret, 0);
    totp::add(state, &user, &enrolment.secret, "Téléphone", &code, IP)
        .await
        .unwrap();
    (user, enrolment.secret)
}

#[tokio::test]
async fn an_app_code_works_within_one_step_of_drift_and_only_once() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let (user, secret) = user_with_app(&state, "lea@example.fr").await;
        let enrolment = Enrolment::of_secret(&state, &user, &secret).unwrap();
        assert!(
            enrolment
                .uri
                .starts_with("otpauth://totp/Facturo:lea%40example.fr?"),
            "{}",
            enrolment.uri
        );
        assert!(!enrolment.qr_png_base64.is_empty());

        // The enrolment code itself cannot log in (its step is used).
        let enrolment_code = code_at(&state, &secret, 0);
        let replay = refused(totp::verify_login(&state, &user, &enrolment_code, IP).await);
        assert_eq!(
            replay,
            Err(LoginRefusal::CodeWrong.into()),
            "{}",
            backend.name
        );

        next_step(&state);
        // Two steps ahead: too far.
        let far = code_at(&state, &secret, 60);
        assert_eq!(
            refused(totp::verify_login(&state, &user, &far, IP).await),
            Err(LoginRefusal::CodeWrong.into())
        );
        // One step ahead (the phone's clock is fast): accepted, once.
        let ahead = code_at(&state, &secret, 30);
        assert_eq!(
            refused(totp::verify_login(&state, &user, &ahead, IP).await),
            Ok(())
        );
        assert_eq!(
            refused(totp::verify_login(&state, &user, &ahead, IP).await),
            Err(LoginRefusal::CodeWrong.into())
        );
        // The current code is older than the step just used: refused too.
        let now = code_at(&state, &secret, 0);
        assert_eq!(
            refused(totp::verify_login(&state, &user, &now, IP).await),
            Err(LoginRefusal::CodeWrong.into())
        );

        // Two steps later, the code of the step before (the phone's clock
        // is slow) is still later than the one used: accepted.
        next_step(&state);
        next_step(&state);
        next_step(&state);
        // One step behind (the phone's clock is slow): accepted.
        let behind = code_at(&state, &secret, -30);
        assert_eq!(
            refused(totp::verify_login(&state, &user, &behind, IP).await),
            Ok(())
        );
        assert_eq!(count_events(&state, "login.succeeded_app").await, 2);
    })
    .await;
}

#[tokio::test]
async fn wrong_app_codes_lock_the_second_factor() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let (user, secret) = user_with_app(&state, "lea@example.fr").await;
        next_step(&state);
        let right = code_at(&state, &secret, 0);
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        for _ in 0..5 {
            assert_eq!(
                refused(totp::verify_login(&state, &user, wrong, IP).await),
                Err(LoginRefusal::CodeWrong.into())
            );
        }
        let locked = refused(totp::verify_login(&state, &user, &right, IP).await);
        assert!(
            matches!(locked, Err(Refusal::Login(LoginRefusal::Locked { .. }))),
            "{locked:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn one_app_per_account_and_the_e_mail_stays_offered() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let (user, _) = user_with_app(&state, "lea@example.fr").await;
        let mail = last_mail(&state, "lea@example.fr").await.unwrap();
        assert!(
            mail.text_body.contains("« Téléphone » a été ajoutée"),
            "{}",
            mail.text_body
        );

        let second = Enrolment::new(&state, &user).unwrap();
        let code = code_at(&state, &second.secret, 0);
        let refusal =
            refused(totp::add(&state, &user, &second.secret, "Tablette", &code, IP).await);
        assert_eq!(refusal, Err(FactorRefusal::TotpAlreadyExists.into()));

        let offered = factors::login_factors(&state, &user).await.unwrap();
        assert_eq!(offered.asked, Factor::Totp);
        assert_eq!(offered.others, vec![Factor::EmailCode]);

        assert!(totp::remove(&state, &user, IP).await.unwrap());
        assert!(!totp::remove(&state, &user, IP).await.unwrap());
        assert_eq!(
            factors::login_factors(&state, &user).await.unwrap().asked,
            Factor::EmailCode
        );
        assert_eq!(count_events(&state, "factor.app_removed").await, 1);
        // Now another app can be added.
        totp::add(&state, &user, &second.secret, "Tablette", &code, IP)
            .await
            .unwrap();
    })
    .await;
}

fn origin() -> Url {
    Url::parse("http://localhost:3000").unwrap()
}

/// Registers a software key for `user` in session `session`.
async fn register_key(
    state: &AppState,
    authenticator: &mut SoftPasskey,
    user: &user::Model,
    session: &str,
) {
    let options = keys::start_registration(state, session, user)
        .await
        .unwrap();
    let answer = authenticator.do_registration(origin(), options).unwrap();
    keys::finish_registration(state, session, user, "Clé bleue", &answer, IP)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_key_registers_and_logs_in_once_per_challenge() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "lea@example.fr").await;
        let mut authenticator = SoftPasskey::new(true);
        register_key(&state, &mut authenticator, &user, "session-a").await;
        assert_eq!(count_events(&state, "factor.key_added").await, 1);
        assert_eq!(
            factors::login_factors(&state, &user).await.unwrap().asked,
            Factor::SecurityKey
        );

        let options = keys::start_login(&state, "session-a", user.id)
            .await
            .unwrap();
        let answer = authenticator.do_authentication(origin(), options).unwrap();
        assert_eq!(
            refused(keys::finish_login(&state, "session-a", &user, &answer, IP).await),
            Ok(())
        );
        // The same signed answer again: the challenge is spent.
        let again = refused(keys::finish_login(&state, "session-a", &user, &answer, IP).await);
        assert_eq!(
            again,
            Err(FactorRefusal::KeyCeremonyExpired.into()),
            "{}",
            backend.name
        );
        let stored = security_key::Entity::find()
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert!(stored.last_used_at.is_some());

        // A challenge answered after five minutes has expired.
        let options = keys::start_login(&state, "session-a", user.id)
            .await
            .unwrap();
        let answer = authenticator.do_authentication(origin(), options).unwrap();
        state.clock.advance(5 * 60 + 1);
        let late = refused(keys::finish_login(&state, "session-a", &user, &answer, IP).await);
        assert_eq!(late, Err(FactorRefusal::KeyCeremonyExpired.into()));

        // A challenge is bound to the session that asked for it.
        let options = keys::start_login(&state, "session-a", user.id)
            .await
            .unwrap();
        let answer = authenticator.do_authentication(origin(), options).unwrap();
        let elsewhere = refused(keys::finish_login(&state, "session-b", &user, &answer, IP).await);
        assert_eq!(elsewhere, Err(FactorRefusal::KeyCeremonyExpired.into()));
    })
    .await;
}

#[tokio::test]
async fn an_answer_from_an_unknown_key_or_a_stale_registration_is_refused() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "lea@example.fr").await;
        let mut registered = SoftPasskey::new(true);
        register_key(&state, &mut registered, &user, "s").await;

        // Another authenticator cannot answer for the registered one.
        let options = keys::start_login(&state, "s", user.id).await.unwrap();
        let mut stranger = SoftPasskey::new(true);
        assert!(stranger.do_authentication(origin(), options).is_err());

        // A registration answered late is refused and stores nothing.
        let options = keys::start_registration(&state, "s", &user).await.unwrap();
        let answer = SoftPasskey::new(true)
            .do_registration(origin(), options)
            .unwrap();
        state.clock.advance(5 * 60 + 1);
        let late =
            refused(keys::finish_registration(&state, "s", &user, "Tard", &answer, IP).await);
        assert_eq!(late, Err(FactorRefusal::KeyCeremonyExpired.into()));
        assert_eq!(
            security_key::Entity::find().count(&state.db).await.unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn nobody_sees_renames_or_removes_another_users_keys() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let lea = active_user(&state, "lea@example.fr").await;
        let max = active_user(&state, "max@example.fr").await;
        register_key(&state, &mut SoftPasskey::new(true), &lea, "s").await;
        let key = security_key::Entity::find()
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();

        assert!(keys::of_user(&state.db, max.id).await.unwrap().is_empty());
        assert!(!keys::rename(&state, max.id, key.id, "À moi").await.unwrap());
        assert!(!keys::remove(&state, &max, key.id, IP).await.unwrap());
        let kept = security_key::Entity::find_by_id(key.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.name, "Clé bleue");
        // Max cannot log in with Léa's key either: he has none.
        assert_eq!(
            refused(keys::start_login(&state, "t", max.id).await).map(drop),
            Err(FactorRefusal::KeyRejected.into())
        );

        assert!(
            keys::rename(&state, lea.id, key.id, "Clé rouge")
                .await
                .unwrap()
        );
        assert!(keys::remove(&state, &lea, key.id, IP).await.unwrap());
        let mail = last_mail(&state, "lea@example.fr").await.unwrap();
        assert!(
            mail.text_body.contains("« Clé rouge » a été supprimée"),
            "{}",
            mail.text_body
        );
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "lea@example.fr").await;
        let lifetimes = sessions::Lifetimes::from_settings(&state.settings);
        let now = state.clock.now();
        let logged_in = sessions::SessionState::logged_in(user.id, now, Factor::EmailCode);
        let mine = sessions::create(&state.db, &logged_in, lifetimes, now)
            .await
            .unwrap();
        let other = sessions::create(&state.db, &logged_in, lifetimes, now)
            .await
            .unwrap();
        let new = "Nouveau-mot2passe";

        let wrong = refused(
            factors::change_password(&state, &user, "Wrong-pass1!", new, mine.expose(), IP).await,
        );
        assert_eq!(wrong, Err(FactorRefusal::WrongCurrentPassword.into()));
        let weak = refused(
            factors::change_password(&state, &user, PASSWORD, "court", mine.expose(), IP).await,
        );
        assert!(matches!(weak, Err(Refusal::WeakPassword(_))));
        assert!(
            sessions::load(&state.db, other.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_some()
        );

        factors::change_password(&state, &user, PASSWORD, new, mine.expose(), IP)
            .await
            .unwrap();
        assert!(
            sessions::load(&state.db, mine.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::load(&state.db, other.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            accounts::check_password(&state, "lea@example.fr", new, IP)
                .await
                .is_ok()
        );
        let notices = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Subject.contains("facteurs d’authentification"))
            .count(&state.db)
            .await
            .unwrap();
        assert_eq!(notices, 1);
        assert_eq!(count_events(&state, "factor.password_changed").await, 1);
    })
    .await;
}
