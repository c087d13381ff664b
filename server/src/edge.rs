//! The HTTP edge: the headers every response carries and the limits every
//! request meets, applied once around the whole router ([`harden`]) so that
//! pages, static files, server functions, errors and test support alike get
//! them.
//!
//! - **Content-Security-Policy** with a fresh nonce per response: only the
//!   `<script>` tags Leptos renders with that nonce run (no `'unsafe-inline'`),
//!   the WASM may be compiled (`'wasm-unsafe-eval'`), everything else comes
//!   from the portal itself; no framing (`frame-ancestors 'none'`). The nonce
//!   is drawn here, before the handler, and handed to Leptos through the
//!   request's extensions ([`provide_request_nonce`]): the header and the
//!   page cannot disagree, whatever renders the response.
//! - **Referrer-Policy: same-origin**: activation and reset tokens travel in
//!   links, and no other site may see them in a `Referer`. Not `no-referrer`:
//!   under it browsers send `Origin: null` with the portal's own form posts
//!   (Fetch, "append a request `Origin` header"), which the CSRF guard must
//!   refuse, and a form posted without JavaScript could not be sent back to
//!   its page (server functions redirect to the `Referer`).
//! - **X-Content-Type-Options: nosniff**, and **Strict-Transport-Security**
//!   when the public address is https (never over plain http, where browsers
//!   ignore it and local development would be pinned).
//! - **Cache-Control** ([`cache_control`]): `no-store` on pages and server
//!   functions (they show a logged-in user's name and data: no shared or
//!   back-button copy may keep them); `public, max-age=31536000, immutable`
//!   on static files whose name carries their content's hash (cargo-leptos's
//!   `hash-files`: the WASM chunks, the JS, the stylesheet; a new build gives
//!   new names, so a cached copy can never be stale); `no-cache` on the other
//!   static files (kept, but revalidated with `Last-Modified`).
//! - a **body limit** as tower-http's `RequestBodyLimitLayer` applies it
//!   (larger bodies answer 413; the
//!   largest form of the portal is a few kilobytes; the photo upload alone
//!   has a larger limit, `upload.rs`) and **CatchPanicLayer**
//!   (a panicking handler answers 500 instead of dropping the connection).

use app::backend::sessions::secure_cookies;
use app::backend::settings::Settings;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use leptos::config::LeptosOptions;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest request body accepted, far above any form of the portal.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;

/// One year; no `includeSubDomains`: the portal does not decide for the other
/// hosts of its parent domain.
const HSTS: &str = "max-age=31536000";

/// The policy if the nonce could not make a header value (it is base64url,
/// so never): nothing inline runs, the page stays readable without WASM.
const FALLBACK_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The nonce drawn for one request, in its extensions.
#[derive(Clone)]
struct RequestNonce(Nonce);

/// The Content-Security-Policy, but for the nonce.
#[derive(Clone, Debug)]
struct Policy {
    /// `connect-src`: the server functions and the WASM file; in
    /// `cargo leptos watch`, also the live-reload socket of `<AutoReload>`.
    connect_src: String,
}

impl Policy {
    fn new(options: &LeptosOptions) -> Policy {
        let mut connect_src = String::from("'self'");
        // `<AutoReload>` renders its script only when this variable is set.
        if std::env::var_os("LEPTOS_WATCH").is_some() {
            let port = options.reload_external_port.unwrap_or(options.reload_port);
            connect_src.push_str(&format!(" ws://*:{port} wss://*:{port}"));
        }
        Policy { connect_src }
    }

    fn header(&self, nonce: &str) -> HeaderValue {
        let policy = format!(
            "default-src 'self'; \
             script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; \
             img-src 'self' data:; \
             connect-src {}; \
             object-src 'none'; \
             base-uri 'none'; \
             form-action 'self'; \
             frame-ancestors 'none'",
            self.connect_src
        );
        HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(FALLBACK_POLICY))
    }
}

/// Wraps `router` (everything it serves, fallback included) in the edge's
/// layers. The outermost layers set the headers, so that the 500 of a panic
/// and the 413 of a large body carry them too.
pub fn harden(router: Router, settings: &Settings, options: &LeptosOptions) -> Router {
    let router = router
        .layer(middleware::from_fn(limit_body))
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn_with_state(
            Policy::new(options),
            content_security_policy,
        ))
        .layer(middleware::from_fn(cache_control))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ));
    // The same test that makes the session cookie `Secure` and `__Host-`.
    if secure_cookies(settings) {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ))
    } else {
        router
    }
}

/// The body limit, at [`crate::upload::body_limit`] for the request's path
/// ([`MAX_REQUEST_BODY`] everywhere but the photo upload), the way
/// tower-http's `RequestBodyLimit` applies one: a declared length above it
/// answers 413 at once; a body streamed past it ends in an error for the
/// handler that reads it.
async fn limit_body(request: Request, next: Next) -> Response {
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let limit = crate::upload::body_limit(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded").into_response();
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// `immutable` for a static file with a hashed name, `no-cache` for another
/// static file, `no-store` for everything else; a handler's own
/// `Cache-Control` is kept. A static file is what the file server answered:
/// a success with `Last-Modified` (no handler of the portal sets it) that is
/// not HTML and not a server function's answer.
async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let server_function = path.starts_with("/api/");
    let hashed = path.rsplit('/').next().is_some_and(names_its_content_hash);
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let served_file = response.headers().contains_key(header::LAST_MODIFIED);
    let static_file = response.status().is_success() && served_file && !html && !server_function;
    let value = match (static_file, hashed) {
        (true, true) => IMMUTABLE,
        (true, false) => "no-cache",
        (false, _) => "no-store",
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

/// A year, never revalidated: for files whose name changes with their content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Whether a file name carries cargo-leptos's content hash: the MD5 of the
/// file in unpadded base64url (22 characters), as a dot-separated part before
/// the extension (`portal.<hash>.wasm`) or as the whole stem (the WASM
/// chunks: `<hash>.wasm`). Files precompressed beside them keep the name and
/// add `.br` or `.gz`, which the file server never shows in the path.
fn names_its_content_hash(file_name: &str) -> bool {
    let mut parts = file_name.split('.');
    let _extension = parts.next_back();
    parts.any(|part| {
        part.len() == 22
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Draws the request's nonce, leaves it for Leptos, and states it in the
/// response's policy.
async fn content_security_policy(
    State(policy): State<Policy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    let value = policy.header(&nonce);
    request.extensions_mut().insert(RequestNonce(nonce));
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, value);
    response
}

/// Part of the Leptos context of every request: makes the nonce of
/// [`harden`]'s policy the one `<HydrationScripts>`, `<AutoReload>` and the
/// streamed resource scripts render (leptos_axum provides a nonce of its own,
/// which the response header would not know).
pub fn provide_request_nonce() {
    let drawn =
        use_context::<Parts>().and_then(|parts| parts.extensions.get::<RequestNonce>().cloned());
    if let Some(RequestNonce(nonce)) = drawn {
        provide_context(nonce);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_are_immutable() {
        for hashed in [
            "portal.Gx3w2kA0b1c2d3e4f5g6h7.wasm",
            "portal.a-b_c-d_e-f_g-h_i-j_kl.js",
            "Gx3w2kA0b1c2d3e4f5g6h7.wasm",
            "__wasm_split.Gx3w2kA0b1c2d3e4f5g6h7.js",
        ] {
            assert!(names_its_content_hash(hashed), "{hashed}");
        }
        for plain in [
            "portal.css",
            "portal.wasm",
            "favicon.ico",
            "Gx3w2kA0b1c2d3e4f5g6h7",
            "portal.Gx3w2kA0b1c2d3e4f5g6h.wasm",
            "portal.Gx3w2kA0b1c2d3e4f5g6h7!.js",
            "",
        ] {
            assert!(!names_its_content_hash(plain), "{plain}");
        }
    }

    #[test]
    fn the_policy_allows_the_nonce_and_wasm_but_no_inline_script_or_framing() {
        let policy = Policy {
            connect_src: "'self'".into(),
        };
        let value = policy.header("abc123");
        let value = value.to_str().unwrap();
        let script_src = value
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert_eq!(
            script_src,
            "script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"
        );
        assert!(!value.contains("unsafe-inline"), "{value}");
        assert!(
            value.contains("frame-ancestors 'none'") && value.contains("connect-src 'self'"),
            "{value}"
        );
    }
}
