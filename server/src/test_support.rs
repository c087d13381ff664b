//! Test support (rule R-T1): the delivered e-mails, the server's clock and
//! the number of panics it met, for Playwright suites. Mounted only when the server starts with
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
