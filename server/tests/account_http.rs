//! The account server functions over HTTP: answers that reveal nothing,
//! the session cookie's life, cross-site refusal.

mod common;

use app::backend::entities::mail_outbox;
use app::backend::{AppState, accounts};
use app::domain::account::{SignupInput, validate_signup};
use app::domain::preferences::Language;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use sea_orm::{EntityTrait, QueryOrder};
use tower::ServiceExt;

const PASSWORD: &str = "Abcdefgh1!xy";

async fn setup() -> (Router, AppState, common::TestDb) {
    let backend = common::sqlite().await;
    let state = backend.state();
    let options = LeptosOptions::builder().output_name("portal").site_root("target/site").build();
    (server::router(state.clone(), options, false), state, backend)
}

async fn post(router: &Router, path: &str, body: String, cookie: Option<&str>) -> (StatusCode, Option<String>, String) {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_session="))
        .map(|c| c.split(';').next().unwrap().to_owned());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, cookie, String::from_utf8_lossy(&body).into_owned())
}

async fn active_user(state: &AppState, email: &str) {
    let form = validate_signup(&SignupInput {
        login_email: email.into(),
        login_email_confirmation: email.into(),
        last_name: "Curie".into(),
        first_name: "Marie".into(),
        ..Default::default()
    })
    .unwrap();
    accounts::sign_up(state, &form, Language::Fr).await.unwrap();
    let mail = last_mail(state).await;
    let start = mail.text_body.find("jeton=").unwrap() + 6;
    let token = mail.text_body[start..].split_whitespace().next().unwrap();
    accounts::set_password_with_link(state, token, PASSWORD).await.unwrap();
}

async fn last_mail(state: &AppState) -> mail_outbox::Model {
    mail_outbox::Entity::find()
        .order_by_desc(mail_outbox::Column::Id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn forgotten_password_answers_the_same_for_known_and_unknown_addresses() {
    let (router, state, _db) = setup().await;
    active_user(&state, "connue@example.fr").await;
    let known = post(&router, "/api/forgot-password", "login_email=connue%40example.fr".into(), None).await;
    let unknown = post(&router, "/api/forgot-password", "login_email=inconnue%40example.fr".into(), None).await;
    assert_eq!(known.0, StatusCode::OK);
    assert_eq!(known, unknown);
}

#[tokio::test]
async fn the_session_cookie_logs_in_after_the_code_and_stops_working_after_logout() {
    let (router, state, _db) = setup().await;
    active_user(&state, "session@example.fr").await;

    let (status, _, body) =
        post(&router, "/api/login", format!("login_email=session%40example.fr&password=Mauvais1%21xxxx"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body, r#""BadCredentials""#);

    let (status, pending, _) =
        post(&router, "/api/login", format!("login_email=session%40example.fr&password={}", "Abcdefgh1%21xy"), None).await;
    assert_eq!(status, StatusCode::OK);
    let pending = pending.expect("a pre-login session");
    // Before the code, the session is not a login.
    assert_eq!(post(&router, "/api/me", String::new(), Some(&pending)).await.2, "null");

    let mail = last_mail(&state).await;
    let code = mail.text_body.split(": ").nth(1).unwrap()[..6].to_owned();
    let (status, session, body) = post(&router, "/api/verify-code", format!("code={code}"), Some(&pending)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let session = session.expect("a new session id");
    assert_ne!(session, pending, "the id is rotated at login");
    assert!(post(&router, "/api/me", String::new(), Some(&session)).await.2.contains("session@example.fr"));
    assert_eq!(post(&router, "/api/me", String::new(), Some(&pending)).await.2, "null");

    post(&router, "/api/logout", String::new(), Some(&session)).await;
    assert_eq!(post(&router, "/api/me", String::new(), Some(&session)).await.2, "null");
}

#[tokio::test]
async fn a_code_without_a_login_in_progress_is_refused() {
    let (router, _state, _db) = setup().await;
    let (status, _, body) = post(&router, "/api/verify-code", "code=123456".into(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, r#""NotLoggedIn""#);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_any_handler() {
    let (router, _state, _db) = setup().await;
    let request = Request::post("/api/logout")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    assert_eq!(router.clone().oneshot(request).await.unwrap().status(), StatusCode::FORBIDDEN);
}
