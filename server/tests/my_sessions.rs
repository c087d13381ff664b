//! *Mes sessions* (ASVS 7.4.3, 7.5.1, 7.5.2): a user sees their live
//! sessions and where each was opened from, ends one or all the others after
//! a full re-authentication (password, then a second factor), and never
//! reaches another user's sessions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::sessions::{
    self, Lifetimes, SessionState, Whose, end_by_operator, end_one_of_user,
};
use app::domain::factors::Factor;
use app::domain::refusal::Refusal;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{app, send, set_cookies};
use common::{
    PASSWORD, active_user, count_events, last_mail, logged_in_session, on_every_backend, refused,
};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

/// A server-function call from a browser saying `agent`: status, the new
/// session cookie (`name=value`) if one was set, body.
async fn call(
    router: &Router,
    path: &str,
    body: String,
    cookie: Option<&str>,
    agent: &str,
) -> (StatusCode, Option<String>, String) {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::USER_AGENT, agent);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (status, headers, body) = send(router, request.body(Body::from(body)).unwrap()).await;
    let session = set_cookies(&headers)
        .into_iter()
        .find(|c| c.starts_with("portal_session="))
        .map(|c| c.split(';').next().unwrap().to_owned());
    (status, session, body)
}

fn password_body(email: &str) -> String {
    format!(
        "login_email={}&password={}",
        email.replace('@', "%40"),
        PASSWORD.replace('!', "%21")
    )
}

/// The e-mailed code of the last login mail.
async fn code(state: &app::backend::AppState, email: &str) -> String {
    let mail = last_mail(state, email).await.unwrap();
    mail.text_body.split(": ").nth(1).unwrap()[..6].to_owned()
}

/// A full login from `agent`: the password, then the e-mailed code.
async fn log_in(
    router: &Router,
    state: &app::backend::AppState,
    email: &str,
    agent: &str,
) -> String {
    let (status, pending, body) =
        call(router, "/api/login", password_body(email), None, agent).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let body = format!("code={}", code(state, email).await);
    let (status, session, body) =
        call(router, "/api/verify-code", body, pending.as_deref(), agent).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    session.unwrap()
}

async fn is_logged_in(router: &Router, session: &str) -> bool {
    call(router, "/api/me", String::new(), Some(session), FIREFOX)
        .await
        .2
        != "null"
}

#[tokio::test]
async fn a_user_lists_their_sessions_and_ends_others_only_after_logging_in_again_fully() {
    let (router, state, _db) = app(false).await;
    active_user(&state, "sessions@example.fr").await;
    let here = log_in(&router, &state, "sessions@example.fr", FIREFOX).await;
    let phone = log_in(&router, &state, "sessions@example.fr", PHONE).await;

    let (status, _, listed) = call(
        &router,
        "/api/my-sessions",
        String::new(),
        Some(&here),
        FIREFOX,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["current"], true, "this session first");
    assert_eq!(listed[0]["device"], "Firefox · Linux");
    assert_eq!(listed[1]["current"], false);
    assert_eq!(listed[1]["device"], "Chrome · Android");
    assert_eq!(listed[1]["client_address"], "unknown");

    // Ending one (the login is recent): the phone is logged out.
    let phone_id = listed[1]["id"].as_str().unwrap().to_owned();
    let body = format!("id={phone_id}");
    let (status, _, answer) = call(&router, "/api/end-session", body, Some(&here), FIREFOX).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(!is_logged_in(&router, &phone).await);
    assert!(is_logged_in(&router, &here).await);
    assert_eq!(count_events(&state, "session_ended").await, 1);

    // Eleven minutes later, ending needs a new login, and the password alone
    // is not one: the session then waits for the second factor.
    let phone = log_in(&router, &state, "sessions@example.fr", PHONE).await;
    state.clock.advance(11 * 60);
    let (status, _, answer) = call(
        &router,
        "/api/end-other-sessions",
        String::new(),
        Some(&here),
        FIREFOX,
    )
    .await;
    assert_eq!(
        (status, answer.as_str()),
        (StatusCode::UNAUTHORIZED, r#""RecentLoginRequired""#)
    );
    let body = format!("password={}", PASSWORD.replace('!', "%21"));
    let (status, waiting, answer) =
        call(&router, "/api/reauthenticate", body, Some(&here), FIREFOX).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let waiting = waiting.expect("a new session id");
    assert!(
        !is_logged_in(&router, &waiting).await,
        "the password alone logs nobody in"
    );
    assert!(!is_logged_in(&router, &here).await, "the old id is gone");
    let (status, _, _) = call(
        &router,
        "/api/end-other-sessions",
        String::new(),
        Some(&waiting),
        FIREFOX,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(is_logged_in(&router, &phone).await);

    let body = format!("code={}", code(&state, "sessions@example.fr").await);
    let (status, again, answer) =
        call(&router, "/api/verify-code", body, Some(&waiting), FIREFOX).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let again = again.unwrap();
    let (status, _, ended) = call(
        &router,
        "/api/end-other-sessions",
        String::new(),
        Some(&again),
        FIREFOX,
    )
    .await;
    assert_eq!((status, ended.as_str()), (StatusCode::OK, "1"));
    assert!(!is_logged_in(&router, &phone).await);
    assert!(is_logged_in(&router, &again).await);
    assert_eq!(count_events(&state, "other_sessions_ended").await, 1);
}

#[tokio::test]
async fn a_wrong_password_does_not_reauthenticate_and_counts_as_a_failure() {
    let (router, state, _db) = app(false).await;
    active_user(&state, "oubli@example.fr").await;
    let here = log_in(&router, &state, "oubli@example.fr", FIREFOX).await;
    let body = "password=Pas-le-bon1%21".to_owned();
    let (status, cookie, answer) =
        call(&router, "/api/reauthenticate", body, Some(&here), FIREFOX).await;
    assert_eq!(
        (status, answer.as_str()),
        (StatusCode::UNAUTHORIZED, r#""BadCredentials""#)
    );
    assert_eq!(cookie, None);
    assert!(
        is_logged_in(&router, &here).await,
        "a typo does not log out"
    );
}

#[tokio::test]
async fn nobody_ends_or_sees_another_users_session_nor_their_own_current_one_this_way() {
    on_every_backend(async |backend| {
        let state = backend.state();
        let alice = active_user(&state, "alice@example.fr").await;
        let bob = active_user(&state, "bob@example.fr").await;
        let alice_here = logged_in_session(&state, alice.id).await;
        let bob_here = logged_in_session(&state, bob.id).await;
        let now = state.clock.now();
        let lifetimes = Lifetimes::from_settings(&state.settings);

        let mine = sessions::live_sessions_of_user(&state.db, alice.id, lifetimes, now)
            .await
            .unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].id, alice_here.hash());

        // Bob's id, from Alice: unknown, and Bob stays logged in.
        let outcome = end_one_of_user(
            &state,
            alice.id,
            &bob_here.hash(),
            &alice_here.hash(),
            "198.51.100.7",
        )
        .await;
        assert_eq!(refused(outcome), Err(Refusal::NotFound));
        // Her own current session is ended by logging out, not here.
        let outcome = end_one_of_user(
            &state,
            alice.id,
            &alice_here.hash(),
            &alice_here.hash(),
            "198.51.100.7",
        )
        .await;
        assert_eq!(refused(outcome), Err(Refusal::NotFound));
        for token in [&alice_here, &bob_here] {
            let live = sessions::resume(&state.db, token.expose(), lifetimes, now)
                .await
                .unwrap();
            assert!(matches!(
                live.map(|l| l.state),
                Some(SessionState::LoggedIn { .. })
            ));
        }

        // What the browser says is kept short and without control characters.
        let agent = format!("Firefox/1\u{7}\n{}", "x".repeat(1_000));
        let from = sessions::OpenedFrom::new("198.51.100.7", &agent);
        let there = SessionState::logged_in(alice.id, now, Factor::EmailCode);
        let there = sessions::rotate(&state.db, None, &there, lifetimes, now, from)
            .await
            .unwrap();
        let mine = sessions::live_sessions_of_user(&state.db, alice.id, lifetimes, now)
            .await
            .unwrap();
        let described = mine.iter().find(|s| s.id == there.hash()).unwrap();
        let kept = described.user_agent.clone().unwrap();
        assert_eq!(kept.chars().count(), 256);
        assert!(kept.starts_with("Firefox/1x"));
        assert_eq!(described.client_address.as_deref(), Some("198.51.100.7"));
    })
    .await;
}

#[tokio::test]
async fn an_operator_ends_the_sessions_of_one_account_or_of_everyone() {
    on_every_backend(async |backend| {
        let state = backend.state();
        let alice = active_user(&state, "alice@example.fr").await;
        let bob = active_user(&state, "bob@example.fr").await;
        let alice_here = logged_in_session(&state, alice.id).await;
        let alice_there = logged_in_session(&state, alice.id).await;
        let bob_here = logged_in_session(&state, bob.id).await;
        let now = state.clock.now();
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let live = async |token: &app::backend::secrets::Token| {
            sessions::resume(&state.db, token.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_some()
        };

        let outcome = end_by_operator(&state, Whose::User("personne@example.fr")).await;
        assert_eq!(refused(outcome), Err(Refusal::NotFound));
        assert_eq!(
            end_by_operator(&state, Whose::User("alice@example.fr"))
                .await
                .unwrap(),
            2
        );
        assert!(!live(&alice_here).await && !live(&alice_there).await);
        assert!(live(&bob_here).await);

        let alice_again = logged_in_session(&state, alice.id).await;
        assert_eq!(end_by_operator(&state, Whose::Everyone).await.unwrap(), 2);
        assert!(!live(&alice_again).await && !live(&bob_here).await);
        assert_eq!(count_events(&state, "sessions_ended_by_operator").await, 2);
    })
    .await;
}
