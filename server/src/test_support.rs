//! Test support (rule R-T1): the delivered e-mails, the server's clock, the
//! number of panics it met and, for the load test of many people at once,
//! logged-in sessions of new accounts, for Playwright suites. Mounted only when the server starts with
//! `PORTAL_TEST_SUPPORT=1` in its environment; otherwise these paths do not
//! exist and answer 404 like any unknown address.

use crate::mailbox;
use app::backend::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Whether the environment asks for test support.
pub fn enabled_by_environment() -> bool {
    std::env::var("PORTAL_TEST_SUPPORT").is_ok_and(|v| v == "1")
}

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/__test/mailbox", get(read_mailbox).delete(clear_mailbox))
        .route(
            "/__test/clock",
            axum::routing::post(advance_clock).delete(reset_clock),
        )
        .route("/__test/panics", get(panics_seen))
        .route("/__test/sessions", axum::routing::post(open_sessions))
        .with_state(state)
}

fn io_failure(error: std::io::Error) -> Response {
    tracing::error!(%error, "test mailbox unreadable");
    (StatusCode::INTERNAL_SERVER_ERROR, "mailbox unreadable").into_response()
}

async fn read_mailbox(State(state): State<AppState>) -> Response {
    match mailbox::read(&state.settings.storage.mailbox_dir()).await {
        Ok(entries) => Json(entries).into_response(),
        Err(error) => io_failure(error),
    }
}

async fn clear_mailbox(State(state): State<AppState>) -> Response {
    match mailbox::clear(&state.settings.storage.mailbox_dir()).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => io_failure(error),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    advance_seconds: u32,
}

#[derive(Debug, Serialize)]
struct ClockReading {
    now: String,
}

async fn advance_clock(
    State(state): State<AppState>,
    Json(advance): Json<Advance>,
) -> Json<ClockReading> {
    let now = state.clock.advance(advance.advance_seconds);
    Json(ClockReading {
        now: now.to_rfc3339(),
    })
}

async fn reset_clock(State(state): State<AppState>) -> Json<ClockReading> {
    Json(ClockReading {
        now: state.clock.reset().to_rfc3339(),
    })
}

#[derive(Debug, Serialize)]
struct PanicCount {
    panics: u64,
}

async fn panics_seen() -> Json<PanicCount> {
    Json(PanicCount {
        panics: crate::panics::seen(),
    })
}

/// Sessions opened at once by `/__test/sessions`, at most.
const MOST_SESSIONS: u32 = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionsAsked {
    count: u32,
}

#[derive(Debug, Serialize)]
struct SessionsOpened {
    /// One `Cookie` header value per session.
    cookies: Vec<String>,
}

/// `count` new active accounts (no password: they can only be used through
/// these sessions), each with a session logged in by an e-mailed code, for
/// the load test of many people browsing at once (issue 18, item 5), which
/// could not sign up and log in hundreds of people through the pages in the
/// time of a test.
async fn open_sessions(
    State(state): State<AppState>,
    Json(asked): Json<SessionsAsked>,
) -> Response {
    if asked.count == 0 || asked.count > MOST_SESSIONS {
        return (StatusCode::BAD_REQUEST, "count: 1 to 1000").into_response();
    }
    match opened(&state, asked.count).await {
        Ok(cookies) => Json(SessionsOpened { cookies }).into_response(),
        Err(error) => {
            tracing::error!(%error, "test sessions not opened");
            (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
        }
    }
}

async fn opened(state: &AppState, count: u32) -> Result<Vec<String>, sea_orm::DbErr> {
    use app::backend::entities::user::{self, UserStatus};
    use app::backend::sessions::{self, Lifetimes, SessionState, cookie_name};
    use app::backend::structures::members::user_search_key;
    use app::domain::factors::Factor;
    use sea_orm::{ActiveModelTrait, Set};

    let now = state.clock.now();
    // Unique per call: a fresh random token's first characters.
    let batch: String = app::backend::secrets::Token::generate()
        .expose()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect();
    let mut cookies = Vec::with_capacity(count as usize);
    for index in 0..count {
        let email = format!("charge-{batch}-{index}@example.test").to_lowercase();
        let person = user::ActiveModel {
            login_email: Set(email.clone()),
            contact_email: Set(email.clone()),
            last_name: Set(format!("Charge {index}")),
            first_name: Set("Test".into()),
            phone: Set(None),
            password_hash: Set(None),
            status: Set(UserStatus::Active),
            language: Set("fr".into()),
            accessibility: Set(false),
            last_login_at: Set(None),
            email_code_refused: Set(false),
            work_address: Set(None),
            biography: Set(None),
            survey_consent: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            search_key: Set(user_search_key(&format!("Charge {index}"), "Test", &email)),
            ..Default::default()
        }
        .insert(&state.db)
        .await?;
        let session = SessionState::logged_in(person.id, now, Factor::EmailCode);
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let token = sessions::create(&state.db, &session, lifetimes, now).await?;
        cookies.push(format!(
            "{}={}",
            cookie_name(&state.settings),
            token.expose()
        ));
    }
    Ok(cookies)
}
