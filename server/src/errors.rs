//! HTTP statuses of server-function errors.
//!
//! server_fn answers every error with 500, including input that does not
//! even deserialise. This middleware reads the [`AppError`] of such an
//! answer and sets the status it calls for, so bad input gets a 4xx (rule R5)
//! and only real faults a 5xx (and a full hashing queue `503` with
//! `Retry-After`). One place for every server function.

use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;

/// The header server_fn puts on its error answers.
const SERVER_FN_ERROR_HEADER: HeaderName = HeaderName::from_static("serverfnerror");
/// Error bodies are small JSON documents; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn set_server_fn_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(&SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if error == AppError::Busy {
            // The hashing queue holds about a second of work.
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    async fn answered(error: &AppError) -> Response {
        let response = Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .header(SERVER_FN_ERROR_HEADER, "x")
            .body(Body::from(serde_json::to_vec(error).unwrap()))
            .unwrap();
        set_server_fn_error_status(response).await
    }

    #[tokio::test]
    async fn a_full_hashing_queue_is_503_with_retry_after_and_a_refusal_its_own_status() {
        let busy = answered(&AppError::Busy).await;
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "1");
        let refused = answered(&AppError::BadCredentials).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        assert!(!refused.headers().contains_key(header::RETRY_AFTER));
    }
}
