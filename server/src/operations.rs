//! The operator's endpoints (issue 18, item 6) and the measure of every
//! request.
//!
//! - `/livez`: the process answers (a supervisor restarts it otherwise). It
//!   reads nothing, so a slow database never gets a live instance killed.
//! - `/readyz` (and `/healthz`, its older name): the instance can take work:
//!   the database answers and the outbox can be read. 503 while the instance
//!   is stopping, so that a load balancer sends nothing more. A mail server
//!   that is down does not make it unready: the portal keeps accepting work
//!   and the messages wait in the outbox; the body says how many and since
//!   when, and so does `/metrics`.
//! - `/metrics`: Prometheus' text (`app::backend::telemetry`), only to a
//!   scraper presenting `operations.metrics_token` as a bearer token,
//!   compared in constant time; with no token configured the path does not
//!   exist (404), so an instance deployed with the defaults publishes
//!   nothing about its traffic.

use app::backend::secrets::{hash_secret, matches_hash};
use app::backend::telemetry::{self, RequestLabels};
use app::backend::{AppState, outbox};
use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Whether this instance has begun to stop (SIGTERM or Ctrl-C received).
/// Cloning shares it.
#[derive(Clone, Debug, Default)]
pub struct Stopping(Arc<AtomicBool>);

impl Stopping {
    /// From now on, `/readyz` answers 503.
    pub fn begin(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn has_begun(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// What the operator's handlers read.
#[derive(Clone)]
pub struct Operations {
    pub state: AppState,
    pub stopping: Stopping,
    /// The SHA-256 of the metrics token; `None`: `/metrics` is off.
    metrics_token_hash: Option<Arc<str>>,
}

impl Operations {
    pub fn new(state: AppState, stopping: Stopping) -> Operations {
        let token = state.settings.operations.metrics_token.trim();
        let metrics_token_hash = (!token.is_empty()).then(|| hash_secret(token).into());
        Operations {
            state,
            stopping,
            metrics_token_hash,
        }
    }
}

pub async fn livez() -> &'static str {
    "live\n"
}

/// The body of `/readyz`.
#[derive(Debug, Serialize)]
pub struct Readiness {
    pub ready: bool,
    pub stopping: bool,
    pub database: &'static str,
    /// E-mails waiting to be sent; `None` when the outbox could not be read.
    pub outbox_waiting: Option<u64>,
    pub outbox_oldest_age_seconds: Option<i64>,
}

pub async fn readyz(State(operations): State<Operations>) -> (StatusCode, Json<Readiness>) {
    let stopping = operations.stopping.has_begun();
    let state = &operations.state;
    let (database, backlog) = match state.db.ping().await {
        Err(error) => {
            tracing::error!(%error, "readiness: the database does not answer");
            ("unreachable", None)
        }
        Ok(()) => match outbox::backlog(&state.db).await {
            Ok(backlog) => ("ok", Some(backlog)),
            Err(error) => {
                tracing::error!(%error, "readiness: the outbox cannot be read");
                ("outbox unreadable", None)
            }
        },
    };
    let now = state.clock.now();
    let ready = !stopping && backlog.is_some();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let readiness = Readiness {
        ready,
        stopping,
        database,
        outbox_waiting: backlog.map(|b| b.waiting),
        outbox_oldest_age_seconds: backlog.map(|b| b.oldest_age_seconds(now)),
    };
    (status, Json(readiness))
}

/// The OpenMetrics text type, which `prometheus_client` writes.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub async fn metrics(State(operations): State<Operations>, headers: HeaderMap) -> Response {
    let Some(expected) = operations.metrics_token_hash.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if !presented.is_some_and(|token| matches_hash(token.trim(), expected)) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
        )
            .into_response();
    }
    let state = &operations.state;
    match outbox::backlog(&state.db).await {
        Ok(backlog) => telemetry::outbox_read(
            backlog.waiting,
            backlog.oldest_age_seconds(state.clock.now()),
        ),
        // The gauges keep their last reading; the failure is in the log.
        Err(error) => tracing::error!(%error, "metrics: the outbox cannot be read"),
    }
    (
        [
            (header::CONTENT_TYPE, OPENMETRICS),
            (header::CACHE_CONTROL, "no-store"),
        ],
        telemetry::render(),
    )
        .into_response()
}

/// Times every request and files it under its route's pattern (axum's
/// [`MatchedPath`]; `unmatched` for the fallback: the not-found page).
pub async fn measure(request: Request, next: Next) -> Response {
    let started = Instant::now();
    // A made-up method is one series, not one each.
    let method = match *request.method() {
        Method::GET
        | Method::HEAD
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::OPTIONS => request.method().as_str().to_owned(),
        _ => "other".to_owned(),
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = format!("{}xx", response.status().as_u16() / 100);
    telemetry::request_answered(
        RequestLabels {
            method,
            route,
            status,
        },
        started.elapsed().as_secs_f64(),
    );
    response
}
