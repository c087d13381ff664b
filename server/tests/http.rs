//! The HTTP surface: server-rendered pages, the preferences server function,
//! the health probe and the test support switch (rule R-T1).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::domain::preferences::{Language, Preferences};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{app, form_post, get, set_cookies};
use tower::ServiceExt;

/// The answer's status, `Set-Cookie` values and body.
async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Vec<String>, String) {
    let (status, headers, body) = common::http::send(router, request).await;
    (status, set_cookies(&headers), body)
}

#[tokio::test]
async fn the_home_page_is_rendered_in_french_unless_another_language_was_chosen() {
    let (router, _, _db) = app(false).await;
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .body(Body::empty())
        .unwrap();
    let (status, _, html) = send(&router, request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("lang=\"fr\""), "{html}");
    assert!(html.contains("Portail de services Facturo"));
    assert!(!html.contains("class=\"a11y\""));

    let request = Request::get("/")
        .header(header::COOKIE, "i18n_pref_locale=en; portal_a11y=1")
        .body(Body::empty())
        .unwrap();
    let (_, _, html) = send(&router, request).await;
    assert!(html.contains("lang=\"en\""), "{html}");
    assert!(html.contains("Facturo services portal"));
    assert!(html.contains("a11y"));
}

#[tokio::test]
async fn preferences_are_validated_and_saved_in_cookies() {
    let (router, _, _db) = app(false).await;
    let post = |body: &'static str| form_post("/api/preferences", body, None);

    let (status, cookies, body) = send(&router, post("language=en")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("i18n_pref_locale=en;") && c.contains("SameSite=Lax"))
    );

    let (status, cookies, body) = send(&router, post("accessibility=on")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(cookies.iter().any(|c| c.starts_with("portal_a11y=1;")));

    for bad in [
        "language=de",
        "accessibility=maybe",
        "",
        "language=en&language=fr&x=%ZZ",
    ] {
        let (status, cookies, body) = send(&router, post(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {body}");
        assert!(cookies.is_empty(), "{bad:?} set a cookie");
    }
}

#[tokio::test]
async fn a_logged_in_choice_is_saved_on_the_account() {
    let (router, state, _db) = app(false).await;
    let user = common::active_user(&state, "prefs@example.fr").await;
    assert_eq!((user.language.as_str(), user.accessibility), ("fr", false));
    // A visitor's choice touches no account.
    send(&router, form_post("/api/preferences", "language=en", None)).await;
    let token = common::logged_in_session(&state, user.id).await;
    let cookie = format!("portal_session={}", token.expose());
    let post = form_post(
        "/api/preferences",
        "language=en&accessibility=on",
        Some(&cookie),
    );
    let (status, cookies, body) = send(&router, post).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(cookies.iter().any(|c| c.starts_with("portal_a11y=1;")));
    let saved = app::backend::accounts::find_by_login(&state.db, "prefs@example.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((saved.language.as_str(), saved.accessibility), ("en", true));
    assert_eq!(
        common::count_events(&state, "account.preferences_changed").await,
        1
    );
    // Signing up keeps the visitor's choices as the account's first ones.
    let chosen = Preferences {
        language: Language::En,
        accessibility: true,
    };
    app::backend::accounts::sign_up(&state, &common::form("visitor@example.fr"), chosen)
        .await
        .unwrap();
    let created = app::backend::accounts::find_by_login(&state.db, "visitor@example.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (created.language.as_str(), created.accessibility),
        ("en", true)
    );
}

#[tokio::test]
async fn a_form_post_without_javascript_is_sent_back_to_the_page() {
    let (router, _, _db) = app(false).await;
    let request = Request::post("/api/preferences")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/connexion")
        .body(Body::from("language=en"))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    // server_fn may leave an empty query where it strips earlier error info.
    assert!(
        location.starts_with("http://127.0.0.1:3000/connexion"),
        "{location}"
    );
}

#[tokio::test]
async fn test_support_exists_only_when_enabled() {
    let (router, _, _db) = app(false).await;
    for path in ["/__test/mailbox", "/__test/clock"] {
        let (status, _, _) = send(&router, get(path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let request = Request::post("/__test/clock")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"advance_seconds": 60}"#))
        .unwrap();
    assert_eq!(send(&router, request).await.0, StatusCode::NOT_FOUND);

    let (router, _, _db) = app(true).await;
    let (status, _, body) = send(&router, get("/__test/mailbox")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "[]");
    let request = Request::post("/__test/clock")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"advance_seconds": 7200}"#))
        .unwrap();
    let (status, _, body) = send(&router, request).await;
    assert_eq!(status, StatusCode::OK);
    let now: serde_json::Value = serde_json::from_str(&body).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(now["now"].as_str().unwrap()).unwrap();
    assert!(now.to_utc() - chrono::Utc::now() > chrono::Duration::minutes(119));
}

#[tokio::test]
async fn the_health_probe_answers_when_the_database_does() {
    let (router, _, _db) = app(false).await;
    assert_eq!(send(&router, get("/healthz")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_page_is_a_404() {
    let (router, _, _db) = app(false).await;
    let (status, _, html) = send(&router, get("/nulle-part")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page introuvable"));
}

/// The common-password list the browser's checklist fetches: the server's
/// own list, compressed when the browser accepts it, cached a day.
#[tokio::test]
async fn the_common_password_list_is_served_for_the_checklist() {
    use app::domain::password::common as passwords;
    let (router, _, _db) = app(false).await;
    let (status, headers, body) = common::http::send(&router, get(passwords::PATH)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, passwords::LIST);
    assert!(body.lines().count() > 1_000);
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=86400");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let request = Request::get(passwords::PATH)
        .header(header::ACCEPT_ENCODING, "br")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}
