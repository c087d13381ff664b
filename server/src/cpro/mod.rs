//! The API for accounting software (T4, issue 17), in the public
//! platform's dialect, so that software written for it works here once its
//! URLs point here: an OAuth 2.0 token (`token.rs`), then `POST` calls with
//! a JSON body, the bearer token and the `cpro-account` header
//! (`calls.rs`), described by an OpenAPI 3.1 document generated from the
//! handlers (`openapi.rs`).
//!
//! Every call goes through [`Call::admit`]: rate limit, both credentials
//! (`app::backend::cpro::authorize`), the body read as JSON. Every refusal
//! is JSON with a `codeRetour` other than 0 and a `libelle`, 400 to 429,
//! never a 5xx; refused calls are audited (`api.refused`), themselves
//! rate-limited per client address so that a flood cannot fill the audit
//! log.
//!
//! The limits are per server instance (a keyed GCRA from `governor`, in
//! memory): N instances let a technical account through N times as often.
//! The limit is `technical.api_calls_per_second` (burst: twice that).

mod calls;
pub mod openapi;
mod token;
pub mod wire;

use app::backend::audit::{self, AuditEntry, Subject};
use app::backend::cpro::{self, CallRefusal, Caller};
use app::backend::{AppState, client};
use app::domain::technical::CredentialProblem;
use axum::Router;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use wire::Refused;

/// Where the token is bought (the platform's is `/api/oauth/token` on its
/// own host; `/api/` is the portal's server functions').
pub const TOKEN_PATH: &str = "/oauth/token";
/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/cpro/openapi.json";

/// What the API's handlers share.
#[derive(Clone)]
pub struct Api {
    pub state: AppState,
    /// Calls per technical account (key: its structure's id).
    accounts: Arc<DefaultKeyedRateLimiter<i32>>,
    /// Refused calls and token requests per client address.
    addresses: Arc<DefaultKeyedRateLimiter<std::net::IpAddr>>,
}

impl Api {
    pub fn new(state: AppState) -> Api {
        let rate = NonZeroU32::new(state.settings.technical.api_calls_per_second.max(1))
            .unwrap_or(NonZeroU32::MIN);
        let burst = rate.saturating_mul(NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN));
        let quota = Quota::per_second(rate).allow_burst(burst);
        Api {
            state,
            accounts: Arc::new(governor::RateLimiter::keyed(quota)),
            addresses: Arc::new(governor::RateLimiter::keyed(quota)),
        }
    }
}

/// The API's routes.
pub fn routes(state: AppState) -> Router {
    let api = Api::new(state);
    Router::new()
        .route(TOKEN_PATH, post(token::grant))
        .route(
            "/cpro/transverses/v1/health-check",
            get(calls::health_check),
        )
        .route(
            "/cpro/structures/v1/rechercher",
            post(calls::search_structures),
        )
        .route("/cpro/structures/v1/consulter", post(calls::read_structure))
        .route(
            "/cpro/structures/v1/rechercher/services",
            post(calls::search_services),
        )
        .route(
            "/cpro/structures/v1/consulter/service",
            post(calls::read_service),
        )
        .route(
            "/cpro/transverses/v1/consulter/information/siret",
            post(calls::read_siret),
        )
        .route(OPENAPI_PATH, get(openapi::document))
        .with_state(api)
}

/// Why a call gets no answer of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Malformed(String),
    UnsupportedMediaType,
    Refused(CallRefusal),
    /// A structure other than the technical account's.
    NotYours,
    UnknownService,
    UnknownSiret,
    TooManyCalls,
    Unavailable,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Refused(
                CallRefusal::Token | CallRefusal::AccountHeader | CallRefusal::BadCredentials,
            ) => StatusCode::UNAUTHORIZED,
            ApiError::Refused(CallRefusal::Problem(_) | CallRefusal::OtherStructure { .. })
            | ApiError::NotYours => StatusCode::FORBIDDEN,
            ApiError::UnknownService | ApiError::UnknownSiret => StatusCode::NOT_FOUND,
            ApiError::TooManyCalls => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// `codeRetour`: stable, documented in the OpenAPI document.
    pub fn code(&self) -> i32 {
        match self {
            ApiError::Malformed(_) => 1,
            ApiError::UnsupportedMediaType => 12,
            ApiError::Refused(CallRefusal::Token) => 2,
            ApiError::Refused(CallRefusal::AccountHeader) => 3,
            ApiError::Refused(CallRefusal::BadCredentials) => 4,
            ApiError::Refused(CallRefusal::Problem(CredentialProblem::Deactivated)) => 5,
            ApiError::Refused(CallRefusal::Problem(CredentialProblem::Expired)) => 6,
            ApiError::Refused(CallRefusal::OtherStructure { .. }) => 7,
            ApiError::NotYours => 8,
            ApiError::UnknownService => 9,
            ApiError::UnknownSiret => 10,
            ApiError::TooManyCalls => 11,
            ApiError::Unavailable => 99,
        }
    }

    fn libelle(&self) -> String {
        match self {
            ApiError::Malformed(why) => format!("Requête mal formée : {why}"),
            ApiError::UnsupportedMediaType => "Le corps doit être du JSON (Content-Type: application/json).".into(),
            ApiError::Refused(CallRefusal::Token) => "Jeton d'accès absent, invalide ou expiré (Authorization: Bearer).".into(),
            ApiError::Refused(CallRefusal::AccountHeader) => "En-tête cpro-account absent ou illisible : base64 de « login:mot de passe » attendu.".into(),
            ApiError::Refused(CallRefusal::BadCredentials) => "Compte technique ou mot de passe incorrect.".into(),
            ApiError::Refused(CallRefusal::Problem(CredentialProblem::Deactivated)) => "Le compte technique est désactivé : le gestionnaire principal de la structure peut l'activer.".into(),
            ApiError::Refused(CallRefusal::Problem(CredentialProblem::Expired)) => "Le mot de passe du compte technique a expiré : le gestionnaire principal de la structure doit le réinitialiser.".into(),
            ApiError::Refused(CallRefusal::OtherStructure { .. }) => "Le compte technique et le client de l'API appartiennent à deux structures différentes.".into(),
            ApiError::NotYours => "Le compte technique n'a pas accès à cette structure.".into(),
            ApiError::UnknownService => "Service inconnu dans cette structure.".into(),
            ApiError::UnknownSiret => "SIRET inconnu de l'annuaire.".into(),
            ApiError::TooManyCalls => "Trop d'appels : réessayez dans une seconde.".into(),
            ApiError::Unavailable => "Service momentanément indisponible.".into(),
        }
    }

    /// The audit's word for it.
    fn reason(&self) -> &'static str {
        match self {
            ApiError::Malformed(_) => "malformed",
            ApiError::UnsupportedMediaType => "media_type",
            ApiError::Refused(CallRefusal::Token) => "token",
            ApiError::Refused(CallRefusal::AccountHeader) => "account_header",
            ApiError::Refused(CallRefusal::BadCredentials) => "bad_credentials",
            ApiError::Refused(CallRefusal::Problem(CredentialProblem::Deactivated)) => {
                "deactivated"
            }
            ApiError::Refused(CallRefusal::Problem(CredentialProblem::Expired)) => "expired",
            ApiError::Refused(CallRefusal::OtherStructure { .. }) => "other_structure",
            ApiError::NotYours => "not_yours",
            ApiError::UnknownService => "unknown_service",
            ApiError::UnknownSiret => "unknown_siret",
            ApiError::TooManyCalls => "too_many_calls",
            ApiError::Unavailable => "unavailable",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status(),
            axum::Json(Refused {
                code_retour: self.code(),
                libelle: self.libelle(),
            }),
        )
            .into_response();
        if self == ApiError::TooManyCalls {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        response
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> ApiError {
        tracing::error!(%error, "API: database");
        ApiError::Unavailable
    }
}

/// An admitted call: who calls, and its body.
pub struct Call<T> {
    pub caller: Caller,
    pub body: T,
}

impl Api {
    /// Admits a call (see the module documentation): `body` is `None` for a
    /// `GET`. The caller audits a refusal with [`Api::audited`].
    pub async fn admit<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: Option<&[u8]>,
    ) -> Result<Call<T>, ApiError> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let now = self.state.clock.now();
        let caller =
            cpro::authorize(&self.state.db, bearer(headers), text("cpro-account"), now).await??;
        if self.accounts.check_key(&caller.structure_id).is_err() {
            return Err(ApiError::TooManyCalls);
        }
        let body = match body {
            // A GET: an empty object stands for the body.
            None => serde_json::from_slice(b"{}"),
            Some(bytes) => {
                let json = text(header::CONTENT_TYPE.as_str()).is_none_or(|v| {
                    v.split(';')
                        .next()
                        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
                });
                if !json {
                    return Err(ApiError::UnsupportedMediaType);
                }
                serde_json::from_slice(bytes)
            }
        }
        .map_err(|e| ApiError::Malformed(e.to_string()))?;
        Ok(Call { caller, body })
    }

    /// The client's address (`backend::client`, behind the trusted proxies
    /// only); a router served without connection information (the tests'
    /// `oneshot`) counts as localhost.
    pub fn client_of(&self, parts: &Parts) -> IpAddr {
        client::of_request(parts, &self.state.settings.security.trusted_proxies)
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
    }

    /// `result`, its refusal audited first.
    pub async fn audited<T>(
        &self,
        parts: &Parts,
        path: &str,
        result: Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        if let Err(error) = &result {
            self.audit_refusal(self.client_of(parts), path, error).await;
        }
        result
    }

    async fn audit_refusal(&self, ip: IpAddr, path: &str, error: &ApiError) {
        if *error == ApiError::TooManyCalls {
            return;
        }
        let subject = match error {
            ApiError::Refused(CallRefusal::OtherStructure { token }) => Subject::Structure(*token),
            _ => Subject::Nothing,
        };
        self.audit_refused(ip, path, error.reason(), subject).await;
    }

    /// Records a refused request (`api.refused`), unless its address has
    /// sent too many: the limit is what keeps a flood of bad calls from
    /// filling the audit log.
    async fn audit_refused(&self, ip: IpAddr, path: &str, reason: &str, subject: Subject) {
        if self.addresses.check_key(&ip).is_err() {
            return;
        }
        let entry = AuditEntry {
            actor_user_id: None,
            event: "api.refused",
            subject,
            client_ip: Some(ip.to_string()),
            details: serde_json::json!({ "path": path, "reason": reason }),
        };
        if let Err(e) = audit::record(&self.state.db, entry, self.state.clock.now()).await {
            tracing::error!(error = %e, "API: a refusal could not be audited");
        }
    }
}

impl From<CallRefusal> for ApiError {
    fn from(refusal: CallRefusal) -> ApiError {
        ApiError::Refused(refusal)
    }
}

/// The token after `Bearer ` in `Authorization`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
}
