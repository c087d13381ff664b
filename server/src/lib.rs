//! The portal's server: start-up (settings, database, mail worker) and the
//! axum router that serves the Leptos application, its server functions,
//! static files, the operator's probes and metrics and, in test mode, the test support, behind
//! the CSRF guard, the NUL guard of server functions and the edge's headers
//! and limits.

pub mod assets;
pub mod config;
pub mod cpro;
pub mod csrf;
pub mod directory;
pub mod edge;
pub mod errors;
pub mod exports;
pub mod journal;
pub mod mail;
pub mod mailbox;
pub mod nul;
pub mod operations;
pub mod panics;
pub mod photo;
pub mod test_support;
pub mod upload;
pub mod whole;

use app::backend::settings::Settings;
use app::backend::{AppState, db};
use app::domain::password::common as common_passwords;
use app::{App, shell};
use axum::Router;
use axum::http::header;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use operations::{Operations, Stopping};
use std::sync::OnceLock;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

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

/// The application's routes, listed once per process.
///
/// Listing them renders the whole application with leptos's
/// `SuppressResourceLoad` guard held (leptos_router's `RouteList::generate`),
/// and that guard is a process-wide flag (leptos_server's
/// `IS_SUPPRESSING_RESOURCE_LOAD`), not one of the rendering thread: a
/// resource of a page that another thread renders meanwhile (the header's
/// `current_user`) checks the flag when it is first polled, takes the
/// suppressed branch and waits on `std::future::pending()` for ever, and its
/// response never ends. Tests build many routers in parallel; listed once,
/// before the first router exists, the routes are never listed while a page
/// renders.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP surface of the portal, for an instance that never stops.
pub fn router(state: AppState, options: LeptosOptions, test_support: bool) -> Router {
    router_stopping_on(state, options, test_support, Stopping::default())
}

/// The whole HTTP surface of the portal; `/readyz` answers 503 once
/// `stopping` has begun.
pub fn router_stopping_on(
    state: AppState,
    options: LeptosOptions,
    test_support: bool,
    stopping: Stopping,
) -> Router {
    let routes = routes();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            edge::provide_request_nonce();
            app::api::session::provide_request_session();
        }
    };
    let edge_options = options.clone();
    // The code and the stylesheet, straight from the file server (with their
    // brotli and gzip copies): through leptos_axum's fallback, which tries
    // every path as a file before rendering the not-found page, each one also
    // paid for a request rebuilt and a second lookup (issue 16: the
    // stylesheet is to be served at 15 000 requests/s).
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let pkg_path = format!("/{}", options.site_pkg_dir);
    let mut router = Router::new();
    // Hashed names never change under them: read once, served from memory
    // (`assets.rs`); otherwise (`cargo leptos serve`) from the disk.
    let in_memory = options
        .hash_files
        .then(|| assets::Assets::load(std::path::Path::new(&pkg_dir)))
        .and_then(|loaded| {
            loaded
                .inspect_err(|error| tracing::warn!(%error, "{pkg_dir}: served from the disk"))
                .ok()
        });
    router = match in_memory {
        Some(files) => {
            tracing::info!("{pkg_dir}: {} files served from memory", files.len());
            let prefix: std::sync::Arc<str> = format!("{pkg_path}/").into();
            router.route(
                &format!("{pkg_path}/{{*file}}"),
                get(assets::serve)
                    .head(assets::serve)
                    .with_state((files, prefix)),
            )
        }
        None => router.nest_service(
            &pkg_path,
            ServeDir::new(&pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        ),
    };
    let mut router = router
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options)
        .layer(axum::middleware::from_fn(whole::run_to_the_end))
        .layer(axum::middleware::map_response(
            errors::set_server_fn_error_status,
        ))
        .route(
            "/mes-structures.csv",
            get(exports::my_structures_csv).with_state(state.clone()),
        )
        .route(
            "/structures/{id}/utilisateurs.csv",
            get(exports::structure_members_csv).with_state(state.clone()),
        )
        .route(
            app::pages::support::journal::EXPORT_PATH,
            get(journal::support_journal_csv).with_state(state.clone()),
        )
        .route(
            app::domain::photo::PHOTO_URL,
            get(photo::my_photo).with_state(state.clone()),
        )
        .route(
            common_passwords::PATH,
            get(common_passwords).layer(CompressionLayer::new()),
        );
    // The API for accounting software (issue 17), beside the pages.
    router = router.merge(cpro::routes(state.clone()));
    router = router.merge(operator_routes(Operations::new(state.clone(), stopping)));
    if test_support {
        router = router.merge(test_support::routes(state.clone()));
    }
    // Measured outside the guards, so that their refusals are counted too.
    let router = router
        .layer(axum::middleware::from_fn(nul::refuse_nul))
        .layer(axum::middleware::from_fn(upload::require_multipart))
        .layer(axum::middleware::from_fn(csrf::refuse_cross_site))
        .layer(axum::middleware::from_fn(operations::measure));
    edge::harden(router, &state.settings, &edge_options)
}

/// The common-password list, for the browser's live checklist (see
/// `app::domain::password::common`): compressed (31 KB of text, a third of
/// that in brotli), and cached a day (it changes only with a release).
async fn common_passwords() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        common_passwords::LIST,
    )
}

/// The operator's endpoints (`operations.rs`); `/healthz` is `/readyz`'s
/// older name, kept for the probes written against it.
fn operator_routes(operations: Operations) -> Router {
    Router::new()
        .route("/livez", get(operations::livez))
        .route("/readyz", get(operations::readyz))
        .route("/healthz", get(operations::readyz))
        .route("/metrics", get(operations::metrics))
        .with_state(operations)
}
