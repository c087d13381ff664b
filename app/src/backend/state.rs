//! The state built once at start-up and handed to every request: server
//! functions read it from the Leptos context with [`app_state`].

use crate::backend::clock::Clock;
use crate::backend::secrets::{HashError, Passwords};
use crate::backend::settings::Settings;
use crate::error::AppError;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<Clock>,
    pub settings: Arc<Settings>,
    /// argon2id with the configured cost.
    pub passwords: Arc<Passwords>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Result<Self, HashError> {
        let passwords = Arc::new(Passwords::new(&settings.security)?);
        Ok(AppState {
            db,
            clock: Arc::new(Clock::default()),
            settings: Arc::new(settings),
            passwords,
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
