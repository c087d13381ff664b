//! `server`: serves the portal. Settings come from `Leptos.toml` and the
//! environment (see README); the site address and asset folders come from
//! cargo-leptos's `LEPTOS_*` variables.

use app::backend::notifications::summary::Summarizer;
use app::backend::purge::Purger;
use app::backend::technical::warnings::Warner;
use axum::serve::ListenerExt;
use server::mail::{ConfiguredTransport, Deliverer};
use server::{StartError, config, open_state, router, test_support};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// jemalloc, not glibc's allocator: a rendered page is thousands of small
/// allocations, freed across threads (issue 16; measured in the README's
/// *Dependencies and why*).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    server::panics::count_them();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("import-sirene") => return import_sirene(&args[1..]).await,
        Some("end-sessions") => return end_sessions(&args[1..]).await,
        _ => {}
    }
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the portal could not start");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), StartError> {
    let settings = config::load()?;
    let leptos =
        leptos::config::get_configuration(None).map_err(|e| StartError::Leptos(e.to_string()))?;
    let options = leptos.leptos_options;
    let test_support = test_support::enabled_by_environment();

    let transport = ConfiguredTransport::from_settings(&settings).await?;
    let poll = std::time::Duration::from_millis(settings.mail.poll_interval_ms.max(50));
    let state = open_state(settings).await?;
    let deliverer = Deliverer::new(
        state.db.clone(),
        state.clock.clone(),
        &state.settings.mail,
        transport,
    )?;
    let worker = tokio::spawn(deliverer.run(poll));
    let purger = tokio::spawn(Purger::new(&state).run());
    let summarizer = tokio::spawn(Summarizer::new(&state).run());
    let warner = tokio::spawn(Warner::new(&state).run());

    let address = options.site_addr;
    let app = router(state, options, test_support);
    // TCP_NODELAY on every accepted connection: without it, Nagle's algorithm
    // holds a response's last small segment until the client's delayed ACK
    // (about 40 ms on Linux), which stalled every GET (issue 16). Responses
    // are written whole by hyper, so nothing is gained by coalescing.
    let listener = tokio::net::TcpListener::bind(address).await?.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY could not be set on a connection");
        }
    });
    tracing::info!(
        "portal listening on http://{address}{}",
        if test_support {
            " (test support enabled)"
        } else {
            ""
        }
    );
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If the signal handler cannot be installed, run until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await;
    worker.abort();
    purger.abort();
    summarizer.abort();
    warner.abort();
    served.map_err(StartError::Network)
}

/// `server import-sirene --unites-legales FILE --etablissements FILE`:
/// imports INSEE's SIRENE stock files into the configured database.
async fn import_sirene(args: &[String]) -> ExitCode {
    let outcome = async {
        let parsed = server::directory::ImportArgs::parse(args)?;
        let mut settings = config::load().map_err(|e| e.to_string())?;
        // The command imports what it is given, never the sample.
        settings.directory.load_sample = false;
        let state = open_state(settings).await.map_err(|e| e.to_string())?;
        server::directory::import_files(&state.db, &parsed).await
    }
    .await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `server end-sessions --user LOGIN_ADDRESS` or `server end-sessions --all`:
/// ends every session of one account, or of everyone (ASVS 7.4.5; audited).
async fn end_sessions(args: &[String]) -> ExitCode {
    use app::backend::sessions::{Whose, end_by_operator};
    let whose = match args {
        [flag, address] if flag == "--user" => Whose::User(address),
        [flag] if flag == "--all" => Whose::Everyone,
        _ => {
            eprintln!("usage: server end-sessions --user LOGIN_ADDRESS | --all");
            return ExitCode::FAILURE;
        }
    };
    let outcome = async {
        let settings = config::load().map_err(|e| e.to_string())?;
        let state = open_state(settings).await.map_err(|e| e.to_string())?;
        end_by_operator(&state, whose).await.map_err(|e| match e {
            app::backend::BackendError::Refused(_) => {
                "no account has this login address".to_owned()
            }
            other => other.to_string(),
        })
    }
    .await;
    match outcome {
        Ok(ended) => {
            println!("{ended} session(s) ended");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
