//! The one server function that receives a file: *Enregistrer la photo*
//! (rule P1, `app::api::my_account::upload_photo`). The edge's rules for
//! every other request would refuse it or break on it, so this module says
//! where it differs, and why:
//!
//! - its **body limit** is the photo's largest size and the form's framing
//!   ([`body_limit`]), where every other request keeps the edge's 64 KB;
//! - the **NUL guard** (`nul.rs`) lets it through ([`is_upload`]): a
//!   picture is binary, and the function reads no text field;
//! - its **content type** is checked first ([`require_multipart`]):
//!   server_fn's multipart decoder panics when the request names no
//!   boundary (`server_fn::codec::multipart`, `expect("couldn't parse
//!   boundary")`), which a hostile client can send at will. It answers the
//!   400 of arguments that do not deserialise instead.

use crate::edge::MAX_REQUEST_BODY;
use crate::nul::invalid_request;
use app::api::my_account::UploadPhoto;
use app::domain::photo::MAX_UPLOAD_BYTES;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::ServerFn;

/// Room for the multipart framing around the file (boundaries, part
/// headers, a long file name).
const FRAMING: usize = 64 * 1024;

/// Whether `path` is the photo upload's.
pub fn is_upload(path: &str) -> bool {
    path == <UploadPhoto as ServerFn>::PATH
}

/// The largest body accepted at `path`.
pub fn body_limit(path: &str) -> usize {
    if is_upload(path) {
        usize::try_from(MAX_UPLOAD_BYTES).unwrap_or(usize::MAX) + FRAMING
    } else {
        MAX_REQUEST_BODY
    }
}

/// Refuses an upload whose `Content-Type` is not multipart with a boundary.
pub async fn require_multipart(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !is_upload(path) {
        return next.run(request).await;
    }
    let boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| multer::parse_boundary(value).ok());
    if boundary.is_none() {
        tracing::warn!(%path, "upload without a multipart boundary refused");
        return invalid_request(path);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_upload_gets_the_larger_limit() {
        assert_eq!(<UploadPhoto as ServerFn>::PATH, "/api/upload-photo");
        assert!(body_limit("/api/upload-photo") > MAX_UPLOAD_BYTES as usize);
        assert_eq!(body_limit("/api/save-account-field"), MAX_REQUEST_BODY);
        assert_eq!(body_limit("/api/upload-photo/"), MAX_REQUEST_BODY);
    }
}
