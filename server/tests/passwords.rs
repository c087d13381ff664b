//! The password policy as the server enforces it, whatever the browser sent
//! (rule A4 and the portal's additions): common passwords and the user's own
//! names refused, Unicode normalisation before hashing and verifying, and no
//! hash of an overlong input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::{accounts, factors};
use app::domain::login::LoginRefusal;
use app::domain::password::Criterion;
use app::domain::refusal::Refusal;
use axum::http::StatusCode;
use common::http::{app, form_post, send};

use common::{PASSWORD, activation_token, active_user, logged_in_session, refused};

const IP: &str = "192.0.2.40";
/// Rank 447 756 of the common-password list; meets rule A4 otherwise.
const COMMON: &str = "!QAZ2wsx#EDC";
/// "Éléphant1!éà", precomposed (NFC) and decomposed (NFD, as macOS sends it).
const COMPOSED: &str = "\u{c9}l\u{e9}phant1!\u{e9}\u{e0}";
const DECOMPOSED: &str = "E\u{301}le\u{301}phant1!e\u{301}a\u{300}";

#[tokio::test]
async fn activation_refuses_common_and_personal_passwords() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let token = activation_token(&state, "marie.sklodowska@example.fr").await;
        for (password, criterion) in [
            (COMMON, Criterion::NotCommon),
            ("P@ssword1234", Criterion::NotCommon),
            ("Curie-2026!x", Criterion::NotPersonal),
            ("xMARIE-2026!", Criterion::NotPersonal),
            ("Sklodowska-26!", Criterion::NotPersonal),
        ] {
            let outcome = refused(accounts::set_password_with_link(&state, &token, password).await);
            assert_eq!(
                outcome,
                Err(Refusal::WeakPassword(vec![criterion])),
                "{password} ({})",
                backend.name
            );
        }
        // The refusals did not use the link up.
        accounts::set_password_with_link(&state, &token, PASSWORD)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_password_change_refuses_common_and_personal_passwords() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "mcurie@example.fr").await;
        let mine = logged_in_session(&state, user.id).await;
        for (password, criterion) in [
            (COMMON, Criterion::NotCommon),
            ("Mcurie-2026!", Criterion::NotPersonal),
        ] {
            let outcome = refused(
                factors::change_password(&state, &user, PASSWORD, password, mine.expose(), IP)
                    .await,
            );
            assert_eq!(
                outcome,
                Err(Refusal::WeakPassword(vec![criterion])),
                "{password} ({})",
                backend.name
            );
        }
        assert!(
            accounts::check_password(&state, "mcurie@example.fr", PASSWORD, IP)
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn a_password_set_precomposed_logs_in_typed_decomposed_and_back() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let token = activation_token(&state, "nfc@example.fr").await;
        accounts::set_password_with_link(&state, &token, COMPOSED)
            .await
            .unwrap();
        let user = accounts::check_password(&state, "nfc@example.fr", DECOMPOSED, IP)
            .await
            .unwrap();

        // Changed to a decomposed one, the current password typed decomposed.
        let mine = logged_in_session(&state, user.id).await;
        let new = "Nouve\u{301}au-mot2passe";
        factors::change_password(&state, &user, DECOMPOSED, new, mine.expose(), IP)
            .await
            .unwrap();
        assert!(
            accounts::check_password(&state, "nfc@example.fr", "Nouv\u{e9}au-mot2passe", IP)
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn an_overlong_password_is_refused_before_it_is_counted_or_hashed() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let huge = format!("Aa1!{}", "x".repeat(1 << 20));
        let token = activation_token(&state, "long@example.fr").await;
        let too_long = Refusal::WeakPassword(vec![Criterion::MaxLength]);
        assert_eq!(
            refused(accounts::set_password_with_link(&state, &token, &huge).await),
            Err(too_long.clone())
        );
        let over = format!("Aa1!{}", "x".repeat(125));
        assert_eq!(
            refused(accounts::set_password_with_link(&state, &token, &over).await),
            Err(too_long.clone())
        );
        accounts::set_password_with_link(&state, &token, PASSWORD)
            .await
            .unwrap();

        // More overlong tries than the lock allows: each is told the maximum,
        // none is counted (so none reached the throttle, let alone argon2),
        // and the account is not locked.
        let tries = state.settings.security.max_failed_logins + 2;
        for password in (0..tries).flat_map(|_| [huge.as_str(), over.as_str()]) {
            let login =
                refused(accounts::check_password(&state, "long@example.fr", password, IP).await);
            assert_eq!(login.map(drop), Err(too_long.clone()));
        }
        assert_eq!(
            common::count_events(&state, "login.failed").await,
            0,
            "{}",
            backend.name
        );
        assert!(
            accounts::check_password(&state, "long@example.fr", PASSWORD, IP)
                .await
                .is_ok()
        );
        let wrong = refused(
            accounts::check_password(&state, "long@example.fr", "Mauvais-mot2passe", IP).await,
        );
        assert_eq!(
            wrong.map(drop),
            Err(Refusal::Login(LoginRefusal::BadCredentials))
        );
    })
    .await;
}

/// A form POST to a server function, as a script would send it: the status
/// and the body.
async fn post(router: &axum::Router, path: &str, body: String) -> (StatusCode, String) {
    let (status, _, body) = send(router, form_post(path, body, None)).await;
    (status, body)
}

#[tokio::test]
async fn the_server_functions_refuse_what_the_browser_would_have_flagged() {
    let (router, state, _db) = app(false).await;
    let token = activation_token(&state, "http@example.fr").await;

    let set = |password: &str| format!("token={token}&password={password}&confirmation={password}");
    let (status, body) = post(&router, "/api/set-password", set("Curie-2026%21x")).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            r#"{"WeakPassword":["NotPersonal"]}"#
        )
    );
    let (status, body) = post(&router, "/api/set-password", set("%21QAZ2wsx%23EDC")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::BAD_REQUEST, r#"{"WeakPassword":["NotCommon"]}"#)
    );
    let (status, _) = post(&router, "/api/set-password", set("Abcdefgh1%21xy")).await;
    assert_eq!(status, StatusCode::OK);

    // A login with an overlong password is told why, and nothing is counted.
    let long = "x".repeat(200);
    let (status, body) = post(
        &router,
        "/api/login",
        format!("login_email=http%40example.fr&password={long}"),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::BAD_REQUEST, r#"{"WeakPassword":["MaxLength"]}"#)
    );
    assert_eq!(common::count_events(&state, "login.failed").await, 0);
}
