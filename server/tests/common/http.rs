//! Requests to the portal's router, for the tests of the HTTP layer (on
//! SQLite only: there the backend makes no difference).

use super::TestDb;
use app::backend::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

/// The site options of a debug build (`target/site`).
pub fn options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .build()
}

/// The portal's router over a fresh SQLite database, with or without the
/// test support routes.
pub async fn app(test_support: bool) -> (Router, AppState, TestDb) {
    let backend = super::sqlite().await;
    let state = backend.state();
    let router = server::router(state.clone(), options(), test_support);
    (router, state, backend)
}

/// The answer's status, headers and body.
pub async fn send(router: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

pub fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// A form posted as the browser's script does (answer in JSON), with the
/// session cookie if any.
pub fn form_post(path: &str, body: impl Into<Body>, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(body.into()).unwrap()
}

/// The `Set-Cookie` values of an answer.
pub fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// A fresh challenge from the `captcha` server function, and a nonce that
/// solves it (found as the browser does).
pub async fn solved_captcha(router: &Router) -> (String, u64) {
    let (status, _, body) = send(router, form_post("/api/captcha", String::new(), None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let challenge = answer["challenge"].as_str().unwrap().to_owned();
    let bits = u32::try_from(answer["bits"].as_u64().unwrap()).unwrap();
    let nonce = app::domain::captcha::search(&challenge, bits, 0, u64::MAX).unwrap();
    (challenge, nonce)
}
