//! `POST /oauth/token`: OAuth 2.0 client credentials (RFC 6749 §4.4).
//!
//! The client authenticates with HTTP Basic (§2.3.1, which a server must
//! support; id and secret form-urlencoded, then base64) or with
//! `client_id` and `client_secret` in the form body, not both (§2.3). The
//! scope is `openid` or none. The answer is a bearer token valid for
//! [`TOKEN_SECONDS`](app::domain::technical::TOKEN_SECONDS), never cached
//! (§5.1); a refusal is §5.2's JSON, audited, and limited per client
//! address.

use super::wire::{TokenIssued, TokenRefused};
use super::{Api, TOKEN_PATH};
use app::backend::audit::Subject;
use app::backend::technical::clients;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A token request's refusal (RFC 6749 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    InvalidRequest(&'static str),
    InvalidClient { basic: bool },
    UnsupportedGrantType,
    InvalidScope,
    TooMany,
    Unavailable,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, error, description) = match self {
            Refusal::InvalidRequest(why) => (StatusCode::BAD_REQUEST, "invalid_request", why),
            Refusal::InvalidClient { .. } => (
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client, wrong secret, or revoked client",
            ),
            Refusal::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only client_credentials is offered",
            ),
            Refusal::InvalidScope => (
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                "only openid is offered",
            ),
            Refusal::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "slow_down",
                "too many requests: wait a second",
            ),
            Refusal::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "try again later",
            ),
        };
        let mut response = (
            status,
            axum::Json(TokenRefused {
                error: error.into(),
                error_description: description.into(),
            }),
        )
            .into_response();
        let headers = response.headers_mut();
        no_store(headers);
        if let Refusal::InvalidClient { basic: true } = self {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"cpro\""),
            );
        }
        if self == Refusal::TooMany {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

fn no_store(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The token endpoint.
#[utoipa::path(
    post,
    path = "/oauth/token",
    tag = "OAuth",
    request_body(content_type = "application/x-www-form-urlencoded", description = "grant_type=client_credentials, optional scope=openid; client_id and client_secret here or in HTTP Basic"),
    responses(
        (status = 200, description = "A bearer token", body = TokenIssued),
        (status = 400, description = "Malformed request, grant type or scope", body = TokenRefused),
        (status = 401, description = "Unknown client or wrong secret", body = TokenRefused),
        (status = 429, description = "Too many requests", body = TokenRefused),
    )
)]
pub async fn grant(State(api): State<Api>, parts: Parts, body: Bytes) -> Response {
    let headers = &parts.headers;
    let address = api.client_of(&parts);
    if api.addresses.check_key(&address).is_err() {
        return Refusal::TooMany.into_response();
    }
    match issue(&api, headers, &body).await {
        Ok(issued) => {
            let mut response = axum::Json(issued).into_response();
            no_store(response.headers_mut());
            response
        }
        Err(refusal) => {
            if !matches!(refusal, Refusal::TooMany | Refusal::Unavailable) {
                let reason = match refusal {
                    Refusal::InvalidClient { .. } => "invalid_client",
                    _ => "invalid_request",
                };
                api.audit_refused(address, TOKEN_PATH, reason, Subject::Nothing)
                    .await;
            }
            refusal.into_response()
        }
    }
}

async fn issue(api: &Api, headers: &HeaderMap, body: &[u8]) -> Result<TokenIssued, Refusal> {
    if body.len() > 4096 {
        return Err(Refusal::InvalidRequest("body too long"));
    }
    let mut grant_type = None;
    let mut scope = None;
    let mut form_id = None;
    let mut form_secret = None;
    for (name, value) in form_urlencoded::parse(body) {
        let slot = match name.as_ref() {
            "grant_type" => &mut grant_type,
            "scope" => &mut scope,
            "client_id" => &mut form_id,
            "client_secret" => &mut form_secret,
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(Refusal::InvalidRequest("a parameter is repeated"));
        }
    }
    match grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => return Err(Refusal::UnsupportedGrantType),
        None => return Err(Refusal::InvalidRequest("grant_type is missing")),
    }
    if !scope
        .as_deref()
        .is_none_or(|s| s.is_empty() || s == "openid")
    {
        return Err(Refusal::InvalidScope);
    }
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    let (client_id, secret, by_basic) = match (basic, form_id, form_secret) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(Refusal::InvalidRequest(
                "one client authentication method at a time",
            ));
        }
        (Some(encoded), None, None) => {
            let (id, secret) =
                basic_credentials(encoded).ok_or(Refusal::InvalidClient { basic: true })?;
            (id, secret, true)
        }
        (None, Some(id), Some(secret)) => (id, secret, false),
        (None, _, _) => return Err(Refusal::InvalidClient { basic: false }),
    };
    let now = api.state.clock.now();
    match clients::grant(&api.state.db, &client_id, &secret, now).await {
        Ok(Some(granted)) => Ok(TokenIssued {
            access_token: granted.access_token.expose().to_owned(),
            token_type: "Bearer".into(),
            expires_in: granted.expires_in,
            scope: "openid".into(),
        }),
        Ok(None) => Err(Refusal::InvalidClient { basic: by_basic }),
        Err(error) => {
            tracing::error!(%error, "token endpoint: database");
            Err(Refusal::Unavailable)
        }
    }
}

/// `base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_credentials(encoded: &str) -> Option<(String, String)> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    let decode = |part: &str| -> Option<String> {
        let pairs = format!("v={part}");
        form_urlencoded::parse(pairs.as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((decode(id)?, decode(secret)?))
}
