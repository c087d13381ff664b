//! A page or a server function, once started, runs to its end.
//!
//! hyper drops a request's future when its reader leaves (a closed tab, a
//! proxy's timeout, a load generator stopping). For a page, that tears the
//! reactive owners down in the middle of the rendering while what the
//! rendering spawned lives on: the effect with which a `Transition` waits
//! for its resources (leptos' `suspense_component.rs`) then re-runs the
//! children on another worker, and their context lookups walk up to owners
//! that are gone ("I18n context is missing", issue 16: one panic at the end
//! of every load of *Mes structures*). For a server function, it would stop
//! the work between two awaits.
//!
//! So the leptos routes run in a task of their own, which ends whether or
//! not anyone still waits for the answer (the wasted work is at most one
//! page's). A panic in that task is resumed here, so that `CatchPanicLayer`
//! answers 500 as for any handler; the panic hook has printed and counted it
//! once, in the task.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

pub async fn run_to_the_end(request: Request, next: Next) -> Response {
    match tokio::spawn(next.run(request).in_current_span()).await {
        Ok(response) => response,
        Err(ended) if ended.is_panic() => std::panic::resume_unwind(ended.into_panic()),
        // Only a runtime shutting down cancels a task.
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
