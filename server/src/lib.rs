//! The portal's server: start-up (settings, database, mail worker) and the
//! axum router that serves the Leptos application, its server functions,
//! static files, a health probe and, in test mode, the test support, behind
//! the CSRF guard, the NUL guard of server functions and the edge's headers
//! and limits.

pub mod config;
pub mod csrf;
pub mod directory;
pub mod edge;
pub mod errors;
pub mod exports;
pub mod mail;
pub mod mailbox;
pub mod nul;
pub mod panics;
pub mod test_support;

use app::backend::settings::Settings;
use app::backend::{AppState, db};
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration: {0}")]
    Config(#[from] Box<figment::Error>),
    #[error("data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("mail: {0}")]
    Mail(#[from] mail::DeliveryError),
    #[error("password hashing: {0}")]
    Passwords(#[from] app::backend::secrets::HashError),
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("network: {0}")]
    Network(#[from] std::io::Error),
    #[error("SIRENE directory: {0}")]
    Directory(#[from] app::backend::directory::ImportError),
}

/// Creates the data folder, opens the database and migrates it.
pub async fn open_state(settings: Settings) -> Result<AppState, StartError> {
    let data_dir = &settings.storage.data_dir;
    tokio::fs::create_dir_all(data_dir)
        .await
        .map_err(|source| StartError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
    let url = settings.storage.effective_database_url();
    let db = db::connect(&url, settings.storage.max_connections).await?;
    db::migrate(&db).await?;
    if settings.directory.load_sample && directory::load_sample_if_empty(&db).await? {
        tracing::info!("empty SIRENE directory: the sample set was loaded");
    }
    Ok(AppState::new(db, settings)?)
}

/// The whole HTTP surface of the portal.
pub fn router(state: AppState, options: LeptosOptions, test_support: bool) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            edge::provide_request_nonce();
        }
    };
    let edge_options = options.clone();
    let mut router = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options)
        .layer(axum::middleware::map_response(
            errors::set_server_fn_error_status,
        ))
        .route("/healthz", get(healthz).with_state(state.clone()))
        .route(
            "/mes-structures.csv",
            get(exports::my_structures_csv).with_state(state.clone()),
        );
    if test_support {
        router = router.merge(test_support::routes(state.clone()));
    }
    let router = router
        .layer(axum::middleware::from_fn(nul::refuse_nul))
        .layer(axum::middleware::from_fn(csrf::refuse_cross_site));
    edge::harden(router, &state.settings, &edge_options)
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> StatusCode {
    match state.db.ping().await {
        Ok(()) => StatusCode::OK,
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
