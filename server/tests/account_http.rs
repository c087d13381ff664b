//! The account server functions over HTTP: answers that reveal nothing,
//! the session cookie's life, cross-site refusal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{app, form_post, send, set_cookies, solved_captcha};
use common::{active_user, last_mail};
use tower::ServiceExt;

/// A form post and its answer: status, new session cookie (`name=value`) if
/// any, body.
async fn post(
    router: &Router,
    path: &str,
    body: String,
    cookie: Option<&str>,
) -> (StatusCode, Option<String>, String) {
    let (status, headers, body) = send(router, form_post(path, body, cookie)).await;
    let session = set_cookies(&headers)
        .into_iter()
        .find(|c| c.starts_with("portal_session="))
        .map(|c| c.split(';').next().unwrap().to_owned());
    (status, session, body)
}

#[tokio::test]
async fn forgotten_password_answers_the_same_for_known_and_unknown_addresses() {
    let (router, state, _db) = app(false).await;
    active_user(&state, "connue@example.fr").await;
    let known = post(
        &router,
        "/api/forgot-password",
        "login_email=connue%40example.fr".into(),
        None,
    )
    .await;
    let unknown = post(
        &router,
        "/api/forgot-password",
        "login_email=inconnue%40example.fr".into(),
        None,
    )
    .await;
    assert_eq!(known.0, StatusCode::OK);
    assert_eq!(known, unknown);
}

#[tokio::test]
async fn the_session_cookie_logs_in_after_the_code_and_stops_working_after_logout() {
    let (router, state, _db) = app(false).await;
    active_user(&state, "session@example.fr").await;

    let (status, _, body) = post(
        &router,
        "/api/login",
        "login_email=session%40example.fr&password=Mauvais1%21xxxx".into(),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body, r#""BadCredentials""#);

    let (status, pending, _) = post(
        &router,
        "/api/login",
        format!(
            "login_email=session%40example.fr&password={}",
            "Abcdefgh1%21xy"
        ),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let pending = pending.expect("a pre-login session");
    // Before the code, the session is not a login.
    assert_eq!(
        post(&router, "/api/me", String::new(), Some(&pending))
            .await
            .2,
        "null"
    );

    let mail = last_mail(&state, "session@example.fr").await.unwrap();
    let code = mail.text_body.split(": ").nth(1).unwrap()[..6].to_owned();
    let (status, session, body) = post(
        &router,
        "/api/verify-code",
        format!("code={code}"),
        Some(&pending),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let session = session.expect("a new session id");
    assert_ne!(session, pending, "the id is rotated at login");
    assert!(
        post(&router, "/api/me", String::new(), Some(&session))
            .await
            .2
            .contains("session@example.fr")
    );
    assert_eq!(
        post(&router, "/api/me", String::new(), Some(&pending))
            .await
            .2,
        "null"
    );

    post(&router, "/api/logout", String::new(), Some(&session)).await;
    assert_eq!(
        post(&router, "/api/me", String::new(), Some(&session))
            .await
            .2,
        "null"
    );
}

#[tokio::test]
async fn a_code_without_a_login_in_progress_is_refused() {
    let (router, _state, _db) = app(false).await;
    let (status, _, body) = post(&router, "/api/verify-code", "code=123456".into(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, r#""NotLoggedIn""#);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_any_handler() {
    let (router, _state, _db) = app(false).await;
    let request = Request::post("/api/logout")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        router.clone().oneshot(request).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

fn sign_up_body(email: &str, challenge: &str, nonce: u64) -> String {
    let email = email.replace('@', "%40");
    format!(
        "input[login_email]={email}&input[login_email_confirmation]={email}&input[last_name]=Curie\
         &input[first_name]=Marie&input[phone]=&input[contact_email]=&challenge={challenge}&nonce={nonce}"
    )
}

#[tokio::test]
async fn the_captcha_is_single_use_time_limited_and_checked_on_the_server() {
    let (router, state, _db) = app(false).await;
    let (challenge, nonce) = solved_captcha(&router).await;
    let wrong = post(
        &router,
        "/api/sign-up",
        sign_up_body("a@example.fr", &challenge, nonce + 1),
        None,
    )
    .await;
    assert_eq!(wrong.0, StatusCode::BAD_REQUEST, "{}", wrong.2);
    assert!(wrong.2.contains("CaptchaFailed"), "{}", wrong.2);

    let (challenge, nonce) = solved_captcha(&router).await;
    let right = post(
        &router,
        "/api/sign-up",
        sign_up_body("b@example.fr", &challenge, nonce),
        None,
    )
    .await;
    assert_eq!(right.0, StatusCode::OK, "{}", right.2);
    let again = post(
        &router,
        "/api/sign-up",
        sign_up_body("c@example.fr", &challenge, nonce),
        None,
    )
    .await;
    assert!(again.2.contains("CaptchaFailed"), "used twice: {}", again.2);

    let (challenge, nonce) = solved_captcha(&router).await;
    state.clock.advance(21 * 60);
    let late = post(
        &router,
        "/api/sign-up",
        sign_up_body("d@example.fr", &challenge, nonce),
        None,
    )
    .await;
    assert!(late.2.contains("CaptchaFailed"), "late: {}", late.2);
    // Only the one right, fresh, first use created an account.
    assert_eq!(
        accounts::find_by_login(&state.db, "b@example.fr")
            .await
            .unwrap()
            .map(|u| u.login_email),
        Some("b@example.fr".into())
    );
    for refused in ["a@example.fr", "c@example.fr", "d@example.fr"] {
        assert!(
            accounts::find_by_login(&state.db, refused)
                .await
                .unwrap()
                .is_none(),
            "{refused}"
        );
    }
}
