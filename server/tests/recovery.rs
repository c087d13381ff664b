//! Recovery codes and refusing the e-mailed code (security review, item 2),
//! on every backend: codes need an app or a key, are single use, stored
//! hashed, retired when new ones are drawn, and each use is told to the
//! contact address; refusing the e-mailed code needs codes, and then
//! neither the login's fallback nor its check accepts an e-mailed code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::entities::{recovery_code, user};
use app::backend::factors::totp::{self, Enrolment};
use app::backend::factors::{self, recovery};
use app::domain::factors::{Factor, FactorRefusal, format_recovery_code};
use app::domain::login::LoginRefusal;
use app::domain::refusal::Refusal;
use common::{active_user, count_events, last_mail, refused};
use sea_orm::{EntityTrait, PaginatorTrait};
use totp_rs::{Builder, Secret};

const IP: &str = "192.0.2.20";

async fn user_with_app(state: &AppState, email: &str) -> user::Model {
    let user = active_user(state, email).await;
    let enrolment = Enrolment::new(state, &user).unwrap();
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(&enrolment.secret).unwrap())
        .with_account_name("x")
        .build()
        .unwrap();
    let code = totp
        .generate(u64::try_from(state.clock.now().timestamp()).unwrap())
        .to_string();
    totp::add(state, &user, &enrolment.secret, "Téléphone", &code, IP)
        .await
        .unwrap();
    user
}

/// The account as stored now (its settings change under the tests).
async fn reload(state: &AppState, user: &user::Model) -> user::Model {
    user::Entity::find_by_id(user.id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn recovery_codes_need_an_app_work_once_and_each_use_is_told() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let plain = active_user(&state, "sans-app@example.fr").await;
        let refusal = refused(recovery::generate(&state, &plain, IP).await);
        assert_eq!(
            refusal,
            Err(FactorRefusal::StrongFactorRequired.into()),
            "{}",
            backend.name
        );

        let user = user_with_app(&state, "secours@example.fr").await;
        let first = recovery::generate(&state, &user, IP).await.unwrap();
        assert_eq!(first.len(), 10);
        let codes = recovery::generate(&state, &user, IP).await.unwrap();
        assert_eq!(
            recovery_code::Entity::find()
                .count(&state.db)
                .await
                .unwrap(),
            10,
            "old codes retired"
        );
        for row in recovery_code::Entity::find().all(&state.db).await.unwrap() {
            assert!(
                codes.iter().all(|c| row.code_hash != *c),
                "stored as a hash"
            );
        }
        // A retired code does not work; a fresh one works once, typed loosely.
        let old = refused(recovery::verify_login(&state, &user, &first[0], IP).await);
        assert_eq!(old, Err(LoginRefusal::CodeWrong.into()));
        let typed = format_recovery_code(&codes[3]).to_lowercase();
        assert_eq!(
            refused(recovery::verify_login(&state, &user, &typed, IP).await),
            Ok(())
        );
        let again = refused(recovery::verify_login(&state, &user, &codes[3], IP).await);
        assert_eq!(again, Err(LoginRefusal::CodeWrong.into()));
        assert_eq!(recovery::unused(&state.db, user.id).await.unwrap(), 9);
        let mail = last_mail(&state, &user.contact_email).await.unwrap();
        assert!(
            mail.text_body.contains("Il vous en reste 9"),
            "{}",
            mail.text_body
        );
        assert_eq!(
            count_events(&state, "login.succeeded_recovery_code").await,
            1
        );

        // Offered under "another way" with the app, before the e-mail.
        let offered = factors::login_factors(&state, &user).await.unwrap();
        assert_eq!(offered.asked, Factor::Totp);
        assert_eq!(
            offered.others,
            vec![Factor::RecoveryCode, Factor::EmailCode]
        );
    })
    .await;
}

#[tokio::test]
async fn refusing_the_e_mailed_code_needs_codes_and_then_holds_at_login() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = user_with_app(&state, "strict@example.fr").await;
        let early = refused(recovery::refuse_email_code(&state, &user, true, IP).await);
        assert_eq!(
            early,
            Err(FactorRefusal::StrongFactorRequired.into()),
            "{}",
            backend.name
        );
        recovery::generate(&state, &user, IP).await.unwrap();
        recovery::refuse_email_code(&state, &user, true, IP)
            .await
            .unwrap();
        let user = reload(&state, &user).await;
        assert!(user.email_code_refused);
        let offered = factors::login_factors(&state, &user).await.unwrap();
        assert_eq!(offered.others, vec![Factor::RecoveryCode]);
        let check = refused(recovery::check_email_code_accepted(&state, &user).await);
        assert_eq!(check, Err(FactorRefusal::EmailCodeRefused.into()));
        assert_eq!(count_events(&state, "factor.email_code_refused").await, 1);

        // Accepted again on request.
        recovery::refuse_email_code(&state, &user, false, IP)
            .await
            .unwrap();
        let user = reload(&state, &user).await;
        assert_eq!(
            refused(recovery::check_email_code_accepted(&state, &user).await).map(drop),
            Ok(())
        );
    })
    .await;
}

#[tokio::test]
async fn a_login_by_the_e_mailed_code_of_a_user_with_an_app_is_told_and_left_over_codes_need_the_app()
 {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = user_with_app(&state, "notice@example.fr").await;
        let codes = recovery::generate(&state, &user, IP).await.unwrap();
        let factors = recovery::account_factors(&state.db, &user).await.unwrap();
        recovery::after_email_code_login(&state, &user, &factors, IP)
            .await
            .unwrap();
        let mail = last_mail(&state, &user.contact_email).await.unwrap();
        assert!(
            mail.text_body.contains("code reçu par e-mail"),
            "{}",
            mail.text_body
        );
        assert_eq!(
            count_events(&state, "login.email_code_fallback").await,
            1,
            "{}",
            backend.name
        );

        // Without an app or a key, the codes left open nothing.
        totp::remove(&state, &user, IP).await.unwrap();
        let left_over = refused(recovery::verify_login(&state, &user, &codes[0], IP).await);
        assert_eq!(left_over, Err(Refusal::NotAllowed));
        // And a user with no strong factor gets no notice.
        let before = count_events(&state, "login.email_code_fallback").await;
        let factors = recovery::account_factors(&state.db, &user).await.unwrap();
        recovery::after_email_code_login(&state, &user, &factors, IP)
            .await
            .unwrap();
        assert_eq!(
            count_events(&state, "login.email_code_fallback").await,
            before
        );
    })
    .await;
}
