//! The HTTP edge (server/src/edge.rs): security headers on every kind of
//! response, the per-response CSP nonce of the hydration scripts, HSTS and
//! the `__Host-` session cookie over https only, the body limit, panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::routing;
use common::http::{form_post, get, send};
use leptos::prelude::LeptosOptions;

/// Options whose site root holds a stylesheet, so a static file is served.
/// A name part as cargo-leptos's `hash-files` writes it.
const HASH: &str = "Gx3w2kA0b1c2d3e4f5g6h7";

fn options(site: &tempfile::TempDir) -> LeptosOptions {
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("portal.css"), "body { margin: 0 }").unwrap();
    std::fs::write(pkg.join(format!("portal.{HASH}.js")), "export {};").unwrap();
    LeptosOptions::builder()
        .output_name("portal")
        .site_root(site.path().display().to_string())
        .build()
}

/// A router over a fresh database, served at `public_url`.
async fn app(public_url: &str) -> (Router, AppState, common::TestDb, tempfile::TempDir) {
    let backend = common::sqlite().await;
    let mut settings = (*backend.state().settings).clone();
    settings.site.public_url = public_url.into();
    let state = AppState::new(backend.db.clone(), settings).unwrap();
    let site = tempfile::tempdir().unwrap();
    let router = server::router(state.clone(), options(&site), false);
    (router, state, backend, site)
}

fn csp(headers: &HeaderMap) -> &str {
    headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap()
}

/// The nonce of `script-src 'nonce-…'`.
fn csp_nonce(headers: &HeaderMap) -> String {
    let policy = csp(headers);
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_owned()
}

fn assert_common_headers(what: &str, headers: &HeaderMap) {
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{what}");
    assert!(
        csp(headers).contains("frame-ancestors 'none'"),
        "{what}: {}",
        csp(headers)
    );
}

#[tokio::test]
async fn pages_static_files_and_server_functions_carry_the_security_headers() {
    let (router, _state, _db, _site) = app("http://localhost:3000").await;

    let (status, headers, _) = send(&router, get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_common_headers("page", &headers);
    let policy = csp(&headers);
    let script_src = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(
        script_src.contains("'wasm-unsafe-eval'") && !script_src.contains("unsafe-inline"),
        "{policy}"
    );
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    // Plain http: no HSTS.
    assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));

    let (status, headers, body) = send(&router, get("/pkg/portal.css")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "body { margin: 0 }");
    assert_common_headers("static file", &headers);

    let (status, headers, _) =
        send(&router, form_post("/api/preferences", "language=en", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_common_headers("server function", &headers);

    let (status, headers, _) = send(&router, get("/nulle-part")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_common_headers("404 page", &headers);
}

#[tokio::test]
async fn every_page_script_carries_the_nonce_of_its_response_and_the_nonce_changes() {
    let (router, _state, _db, _site) = app("http://localhost:3000").await;
    let mut nonces = Vec::new();
    for path in ["/", "/", "/connexion", "/nulle-part"] {
        let (_, headers, html) = send(&router, get(path)).await;
        let nonce = csp_nonce(&headers);
        assert!(nonce.len() >= 16, "{nonce}");
        // Every script that can run, inline or not, carries the nonce.
        // leptos_i18n leaves an empty `<script></script>` as a hydration
        // placeholder: browsers never evaluate an empty inline script (HTML,
        // "prepare the script element"), so CSP has nothing to allow.
        let mut runnable = 0;
        for tag in html.split("<script").skip(1) {
            let (attributes, rest) = tag.split_once('>').unwrap();
            let content = &rest[..rest.find("</script>").unwrap()];
            if content.is_empty() && !attributes.contains("src=") {
                continue;
            }
            runnable += 1;
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{attributes}> lacks {nonce} in {html}"
            );
        }
        assert!(runnable > 0, "{path}: no hydration script in {html}");
        nonces.push(nonce);
    }
    for (i, nonce) in nonces.iter().enumerate() {
        assert!(
            !nonces[i + 1..].contains(nonce),
            "nonce {nonce} served twice"
        );
    }
}

#[tokio::test]
async fn over_https_responses_have_hsts_and_the_session_cookie_is_host_prefixed() {
    let (router, state, _db, _site) = app("https://facturo.example.fr").await;
    let (_, headers, _) = send(&router, get("/")).await;
    assert!(
        headers[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let (_, headers, _) = send(&router, get("/pkg/portal.css")).await;
    assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));

    common::active_user(&state, "hote@example.fr").await;
    let login = format!(
        "login_email=hote%40example.fr&password={}",
        "Abcdefgh1%21xy"
    );
    let (status, headers, body) = send(&router, form_post("/api/login", login, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let set_cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set_cookie.starts_with("__Host-portal_session="),
        "{set_cookie}"
    );
    for attribute in ["Secure", "Path=/", "HttpOnly"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let token = set_cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("__Host-portal_session=");

    // The same token under the plain name (which a sibling subdomain could
    // set) is not the session.
    let code = || async {
        let mail = common::last_mail(&state, "hote@example.fr").await.unwrap();
        format!("code={}", &mail.text_body.split(": ").nth(1).unwrap()[..6])
    };
    let plain = format!("portal_session={token}");
    let (status, _, body) = send(
        &router,
        form_post("/api/verify-code", code().await, Some(&plain)),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let host = format!("__Host-portal_session={token}");
    let (status, headers, body) = send(
        &router,
        form_post("/api/verify-code", code().await, Some(&host)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let session = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(session.starts_with("__Host-portal_session="), "{session}");

    // The CSV export reads the same cookie.
    let export = |cookie: String| {
        Request::get("/mes-structures.csv")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&router, export(session.clone())).await.0,
        StatusCode::OK
    );
    let plain = session.replace("__Host-portal_session=", "portal_session=");
    assert_eq!(
        send(&router, export(plain)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_body_over_the_limit_answers_413_with_the_headers() {
    let (router, _state, _db, _site) = app("http://localhost:3000").await;
    let large = format!("language={}", "e".repeat(100 * 1024));

    let mut request = form_post("/api/preferences", large.clone(), None);
    request
        .headers_mut()
        .insert(header::CONTENT_LENGTH, large.len().into());
    let (status, headers, _) = send(&router, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_common_headers("413", &headers);

    // Without a length (as if chunked): cut off while the server function
    // reads it, which answers 400 (browsers announce the length of a form).
    let (status, headers, body) = send(&router, form_post("/api/preferences", large, None)).await;
    assert!(status.is_client_error(), "{status}: {body}");
    assert_common_headers("unannounced large body", &headers);
}

#[tokio::test]
async fn a_panicking_handler_answers_500_with_the_headers_and_is_counted() {
    server::panics::count_them();
    let before = server::panics::seen();
    let backend = common::sqlite().await;
    let site = tempfile::tempdir().unwrap();
    async fn buggy() -> &'static str {
        panic!("a handler bug")
    }
    let router = Router::new().route("/panique", routing::get(buggy));
    let router = server::edge::harden(router, &backend.state().settings, &options(&site));
    let (status, headers, _) = send(&router, get("/panique")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_common_headers("500", &headers);
    assert!(server::panics::seen() > before, "the panic is counted");
}

#[tokio::test]
async fn pages_and_server_functions_are_never_stored_and_static_files_are_cached() {
    let (router, _state, _db, _site) = app("http://localhost:3000").await;
    let cache = |headers: &HeaderMap| headers[header::CACHE_CONTROL].to_str().unwrap().to_owned();
    let (_, headers, _) = send(&router, get("/")).await;
    assert_eq!(cache(&headers), "no-store");
    let (_, headers, _) = send(&router, get("/nulle-part")).await;
    assert_eq!(cache(&headers), "no-store");
    let (status, headers, _) = send(&router, get("/pkg/portal.css")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache(&headers), "no-cache");
    assert!(headers.contains_key(header::LAST_MODIFIED));
    let (status, headers, _) = send(&router, get(&format!("/pkg/portal.{HASH}.js"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache(&headers), "public, max-age=31536000, immutable");
    let (status, headers, _) = send(&router, get(&format!("/pkg/portal.{HASH}.wasm"))).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a hashed name that is not there"
    );
    assert_eq!(cache(&headers), "no-store");
    let request = Request::post("/api/me")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(&router, request).await;
    assert_eq!(cache(&headers), "no-store");
}

/// A release build's `/pkg` (hashed names, brotli and gzip copies beside
/// the files): served from memory, with what the file server gave.
#[tokio::test]
async fn hashed_files_are_served_from_memory_compressed_as_accepted_and_revalidated() {
    let backend = common::sqlite().await;
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = format!("portal.{HASH}.css");
    std::fs::write(pkg.join(&css), "body { margin: 0 }").unwrap();
    std::fs::write(pkg.join(format!("{css}.br")), "BROTLI").unwrap();
    std::fs::write(pkg.join(format!("{css}.gz")), "GZIP").unwrap();
    let options = LeptosOptions::builder()
        .output_name("portal")
        .site_root(site.path().display().to_string())
        .hash_files(true)
        .build();
    let router = server::router(backend.state(), options, false);
    let path = format!("/pkg/{css}");
    let fetch = |encoding: Option<&'static str>| {
        let mut request = Request::get(&path);
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        request.body(Body::empty()).unwrap()
    };

    for (accepted, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "BROTLI"),
        (Some("gzip, br;q=0"), Some("gzip"), "GZIP"),
        (None, None, "body { margin: 0 }"),
    ] {
        let (status, headers, answer) = send(&router, fetch(accepted)).await;
        assert_eq!(status, StatusCode::OK, "{accepted:?}");
        assert_eq!(answer, body, "{accepted:?}");
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding
        );
        assert_eq!(headers[header::CONTENT_TYPE], "text/css");
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_common_headers("file from memory", &headers);
    }

    // A browser that has it already is told so.
    let (_, headers, _) = send(&router, fetch(None)).await;
    let etag = headers[header::ETAG].clone();
    let mut again = fetch(None);
    again.headers_mut().insert(header::IF_NONE_MATCH, etag);
    let (status, _, body) = send(&router, again).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(body, "");

    let head = Request::head(&path).body(Body::empty()).unwrap();
    let (status, headers, body) = send(&router, head).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "");
    assert_eq!(headers[header::CONTENT_LENGTH], "18");

    let (status, headers, _) = send(&router, get(&format!("/pkg/{HASH}.wasm"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    backend.cleanup().await;
}
