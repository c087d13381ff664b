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

use app::backend::AppState;
use app::backend::entities::user;
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

/// `GET path` with these cookies.
fn get_with(path: &str, cookie: String) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

/// The portal's router with its panics counted, and an active user.
async fn counted_app(email: &str) -> (axum::Router, AppState, common::TestDb, user::Model) {
    server::panics::count_them();
    let (router, state, db) = app(false).await;
    let user = active_user(&state, email).await;
    (router, state, db, user)
}

/// The `Cookie` value of a new session of the user's.
async fn session_cookie(state: &AppState, user_id: i32) -> String {
    let token = logged_in_session(state, user_id).await;
    format!("{}={}", cookie_name(&state.settings), token.expose())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_at_once_on_several_threads_are_whole_and_titled_in_their_language() {
    let (router, state, _db, user) = counted_app("rendu@example.fr").await;
    let panics_before = server::panics::seen();
    let session = session_cookie(&state, user.id).await;
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
                let request = get_with(path, format!("i18n_pref_locale={language}; {session}"));
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

/// A reader who leaves before the page is written (a closed tab, a load
/// generator stopping, a proxy's timeout) drops the request's future in the
/// middle of its rendering. What the rendering had spawned (the effect with
/// which a `Transition` waits for its resources) then ran on another worker
/// in a component tree whose owners were being dropped: a panic ("I18n
/// context is missing", leptos_router's `A` without its router), or a worker
/// that never returns (reactive_graph's owner dropped inside a context
/// lookup locks the owner the lookup holds). Both were met here before
/// `server::whole`; a hang fails the test through its watchdog.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_who_leave_in_the_middle_of_a_page_leave_no_task_to_panic() {
    let (router, state, _db, user) = counted_app("parti@example.fr").await;
    let panics_before = server::panics::seen();
    // A table of lines to render, as a manager of a few structures sees it.
    for n in 0..5 {
        let form = common::outside_the_eu(&format!("US-{n}"), &format!("Société {n}"));
        app::backend::structures::create(&state, &user, &form, "127.0.0.1")
            .await
            .unwrap();
    }
    let session = session_cookie(&state, user.id).await;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watched = finished.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(120));
        if !watched.load(std::sync::atomic::Ordering::SeqCst) {
            // A worker stuck in a lock also stops the runtime's shutdown:
            // only the process can end.
            eprintln!("renders whose readers left never ended: a worker is stuck");
            std::process::exit(1);
        }
    });
    // How long a whole page takes here, 32 at once: the readers' patience
    // spans twice that, so that they leave at every moment of a rendering
    // and some stay to the end, however loaded the machine.
    let started = std::time::Instant::now();
    let mut whole = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let (router, session) = (router.clone(), session.clone());
        whole.spawn(async move { send(&router, get_with("/mes-structures", session)).await });
    }
    while let Some(page) = whole.join_next().await {
        assert_eq!(page.unwrap().0, StatusCode::OK);
    }
    let span = u64::try_from(started.elapsed().as_micros() * 2)
        .unwrap()
        .max(1_000);
    let mut renders = tokio::task::JoinSet::new();
    let mut left = 0;
    for round in 0..3000u64 {
        let router = router.clone();
        let session = session.clone();
        let path = ["/mes-structures", "/historique-de-mes-demandes", "/"][(round % 3) as usize];
        let patience = Duration::from_micros((round * 397) % span);
        renders.spawn(async move {
            tokio::time::timeout(patience, send(&router, get_with(path, session)))
                .await
                .is_err()
        });
        if renders.len() >= 32 {
            left += u32::from(renders.join_next().await.unwrap().unwrap());
        }
    }
    while let Some(render) = renders.join_next().await {
        left += u32::from(render.unwrap());
    }
    assert!(
        (100..2900).contains(&left),
        "{left} readers of 3000 left early: the test proves nothing unless some leave and some stay"
    );
    // The renders the readers left may still run: give them time to end.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        server::panics::seen(),
        panics_before,
        "panics after readers left"
    );
    finished.store(true, std::sync::atomic::Ordering::SeqCst);
}
