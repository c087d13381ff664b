//! Pages rendered concurrently, on several worker threads, in one process:
//! the way a served portal meets its users (issue 16). Each answer must be
//! complete and titled in its reader's language; a page whose rendering
//! reads reactive state outside its own request (the disposed-signal panic)
//! fails here with a 500, a cut body or a timeout, and a task of a page that
//! panics after its response fails the panic count. (The one such panic
//! found, leptos_i18n's locale effect polled after its request ended, see
//! `components::preferences::LanguageProvider`, needs a minute of load over
//! real connections to show: `end2end/tests/load.spec.ts` caught it.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::sessions::cookie_name;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{app, send};
use common::{active_user, logged_in_session};
use std::time::Duration;

/// (path, language cookie, expected status, expected title); the pages of
/// `/mes-…` and `/historique-…` are read logged in (their rendering queries
/// the database), the others anonymously.
const PAGES: [(&str, &str, StatusCode, &str); 9] = [
    (
        "/",
        "fr",
        StatusCode::OK,
        "<title>Accueil – Facturo</title>",
    ),
    ("/", "en", StatusCode::OK, "<title>Home – Facturo</title>"),
    (
        "/connexion",
        "fr",
        StatusCode::OK,
        "<title>Se connecter – Facturo</title>",
    ),
    (
        "/creer-un-compte",
        "en",
        StatusCode::OK,
        "<title>Create an account – Facturo</title>",
    ),
    (
        "/nulle-part",
        "fr",
        StatusCode::NOT_FOUND,
        "<title>Page introuvable – Facturo</title>",
    ),
    (
        "/nulle-part",
        "en",
        StatusCode::NOT_FOUND,
        "<title>Page not found – Facturo</title>",
    ),
    (
        "/mes-structures",
        "fr",
        StatusCode::OK,
        "<title>Mes structures – Facturo</title>",
    ),
    (
        "/mes-facteurs-authentification",
        "en",
        StatusCode::OK,
        "<title>My authentication factors – Facturo</title>",
    ),
    (
        "/historique-de-mes-demandes",
        "fr",
        StatusCode::OK,
        "<title>Historique de mes demandes – Facturo</title>",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_at_once_on_several_threads_are_whole_and_titled_in_their_language() {
    server::panics::count_them();
    let panics_before = server::panics::seen();
    let (router, state, _db) = app(false).await;
    let user = active_user(&state, "rendu@example.fr").await;
    let token = logged_in_session(&state, user.id).await;
    let session = format!("{}={}", cookie_name(&state.settings), token.expose());
    let mut renders = tokio::task::JoinSet::new();
    for round in 0..50 {
        for (path, language, status, title) in PAGES {
            let router = router.clone();
            let session = if path.starts_with("/mes-") || path.starts_with("/historique-") {
                session.clone()
            } else {
                String::new()
            };
            renders.spawn(async move {
                let request = Request::get(path)
                    .header(
                        header::COOKIE,
                        format!("i18n_pref_locale={language}; {session}"),
                    )
                    .body(Body::empty())
                    .unwrap();
                let answer = tokio::time::timeout(Duration::from_secs(30), send(&router, request));
                let (got, _, html) = answer
                    .await
                    .unwrap_or_else(|_| panic!("round {round}: {path} ({language}) never ended"));
                assert_eq!(got, status, "round {round}: {path} ({language})");
                assert!(
                    html.contains(title),
                    "round {round}: {path} ({language}): {html}"
                );
                assert!(html.contains("</html>"), "{path}: cut short");
            });
        }
    }
    let mut done = 0;
    while let Some(render) = renders.join_next().await {
        render.unwrap();
        done += 1;
    }
    assert_eq!(done, 50 * PAGES.len());
    // Tasks a render spawned may still run: give them time to panic.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        server::panics::seen(),
        panics_before,
        "panics while rendering"
    );
}
