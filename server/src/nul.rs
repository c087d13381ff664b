//! No NUL reaches a server function (rule R5).
//!
//! PostgreSQL's `text` cannot hold U+0000: a query carrying one fails as a
//! whole, so a NUL that reached the database was a server error (500) where
//! the user should have been told their input is wrong. Two layers, by
//! decision:
//!
//! - the domain refuses control characters in every free-text field, with the
//!   field's own translated message (`app::domain::text`): what a person can
//!   type is answered where it is checked;
//! - this middleware, a safety net under every server function, present and
//!   future: a request under `/api/` whose body or query holds a NUL once
//!   decoded is refused with 400 and [`AppError::InvalidInput`] (field
//!   `request`), the answer server_fn gives to arguments that do not
//!   deserialise, so the client already shows it translated. Nothing runs.
//!   The photo upload, whose body is a picture, is the one exception
//!   (`upload.rs`).
//!
//! "Decoded" means every decoding server_fn might apply, since it chooses by
//! the function, not by the request's `Content-Type`: a raw NUL byte, `%00`
//! in the URL-encoded form (query or body), or `\u0000` in a JSON string or
//! key. A JSON body holding the three characters `%00` in a string is
//! therefore refused too; the portal's JSON inputs (security-key answers,
//! base64url) never hold them, and a name with `%00` in it is worth the
//! generic message.

use crate::edge::MAX_REQUEST_BODY;
use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The prefix of every server function's path.
const SERVER_FN_PREFIX: &str = "/api/";

/// The header server_fn puts on its error answers (`errors.rs` reads it too).
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// Refuses a server-function request whose decoded query or body holds a NUL.
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with(SERVER_FN_PREFIX) || crate::upload::is_upload(path) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let query_has_nul = request
        .uri()
        .query()
        .is_some_and(|query| form_has_nul(query.as_bytes()));
    let (parts, body) = request.into_parts();
    // The edge's limit applies first; reading past it is the only failure a
    // client still listening can cause.
    let Ok(bytes) = to_bytes(body, MAX_REQUEST_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    };
    if query_has_nul || body_has_nul(&bytes) {
        tracing::warn!(%path, "server-function request with a NUL refused");
        return invalid_request(&path);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether a body holds a NUL once decoded as URL-encoded form or as JSON.
fn body_has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || form_has_nul(bytes)
        || serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|json| json_has_nul(&json))
}

fn form_has_nul(encoded: &[u8]) -> bool {
    form_urlencoded::parse(encoded).any(|(key, value)| key.contains('\0') || value.contains('\0'))
}

fn json_has_nul(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(json_has_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains('\0') || json_has_nul(value)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// server_fn's own answer to arguments that do not deserialise, with the
/// status [`AppError::http_status`] gives it.
pub(crate) fn invalid_request(path: &str) -> Response {
    let error = AppError::invalid("request");
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let body = serde_json::to_vec(&error).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(path) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, path);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_in_every_decoding() {
        for body in [
            &b"login_email=a%00b&password=x"[..],
            b"a=1&%00=2",
            b"input[name]=x%00",
            b"raw\0byte",
            br#"{"name":"a\u0000b"}"#,
            br#"{"credential":{"id":["\u0000"]}}"#,
            br#"{"key\u0000":1}"#,
            br#""x&name=%00""#,
        ] {
            assert!(body_has_nul(body), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn everything_else_passes() {
        for body in [
            &b""[..],
            b"login_email=a%2500b&comment=100%25",
            b"name=%C3%A9l%C3%A9phant+%F0%9F%90%98&code=000000",
            br#"{"name":"a\\u0000b","n":0}"#,
            "{\"name\":\"\u{202E}é🍀\"}".as_bytes(),
            b"not json, not a form: %zz %0",
        ] {
            assert!(!body_has_nul(body), "{}", String::from_utf8_lossy(body));
        }
    }
}
