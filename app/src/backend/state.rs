//! The state built once at start-up and handed to every request: server
//! functions read it from the Leptos context with [`app_state`].

use crate::backend::clock::Clock;
use crate::backend::guard::InFlight;
use crate::backend::hashing::PasswordPool;
use crate::backend::secrets::{HashError, Passwords};
use crate::backend::settings::Settings;
use crate::error::AppError;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<Clock>,
    pub settings: Arc<Settings>,
    /// argon2id with the configured cost, on the bounded hashing pool.
    pub passwords: PasswordPool,
    /// The login tries being verified now in this instance (`backend::guard`).
    pub in_flight: Arc<InFlight>,
    /// The WebAuthn relying party (rule F3); `None` when the portal's public
    /// address is not a domain name (an IP address), where browsers refuse
    /// WebAuthn: security keys are then unavailable and the page says so.
    pub webauthn: Option<Arc<Webauthn>>,
}

/// The relying party of the portal's public address: its host is the RP id
/// and its origin the one origin accepted.
fn relying_party(settings: &Settings) -> Option<Webauthn> {
    let url = Url::parse(settings.site.public_url.trim()).ok()?;
    let rp_id = url.domain()?.to_owned();
    let built = WebauthnBuilder::new(&rp_id, &url)
        .map(|b| b.rp_name(&settings.site.product_name))
        .and_then(|b| b.build());
    match built {
        Ok(webauthn) => Some(webauthn),
        Err(error) => {
            tracing::warn!(%error, "security keys unavailable for this public address");
            None
        }
    }
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Result<Self, HashError> {
        let passwords = PasswordPool::start_per_core(Passwords::new(&settings.security)?)?;
        let webauthn = relying_party(&settings).map(Arc::new);
        if webauthn.is_none() {
            tracing::warn!(
                public_url = %settings.site.public_url,
                "security keys need a public address with a domain name (e.g. http://localhost:3000)"
            );
        }
        Ok(AppState {
            db,
            clock: Arc::new(Clock::default()),
            settings: Arc::new(settings),
            passwords,
            in_flight: Arc::default(),
            webauthn,
        })
    }
}

/// The state, from a server function's context.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function's context");
        AppError::Internal
    })
}
