//! `server`: serves the portal. Settings come from `Leptos.toml` and the
//! environment (see README); the site address and asset folders come from
//! cargo-leptos's `LEPTOS_*` variables.

use app::backend::notifications::summary::Summarizer;
use app::backend::purge::Purger;
use app::backend::settings::{LogFormat, Settings};
use app::backend::technical::warnings::Warner;
use axum::serve::ListenerExt;
use server::mail::{ConfiguredTransport, Deliverer};
use server::operations::Stopping;
use server::{StartError, config, open_state, router_stopping_on, test_support};
use std::future::IntoFuture;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// jemalloc, not glibc's allocator: a rendered page is thousands of small
/// allocations, freed across threads (issue 16; measured in the README's
/// *Dependencies and why*).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // The settings first: they say how to log. If they cannot be read, the
    // error is logged as text and the command stops below.
    let settings = config::load();
    let format = settings
        .as_ref()
        .map_or(LogFormat::Text, |s| s.operations.log_format);
    start_logging(format);
    server::panics::count_them();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("import-sirene") => return import_sirene(&args[1..]).await,
        Some("end-sessions") => return end_sessions(&args[1..]).await,
        _ => {}
    }
    let served = match settings {
        Ok(settings) => serve(settings).await,
        Err(error) => Err(StartError::Config(error)),
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the portal could not start");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `RUST_LOG` filters (default `info`); `operations.log_format` chooses
/// text for people or one JSON object a line for a log collector.
fn start_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
}

async fn serve(settings: Settings) -> Result<(), StartError> {
    let leptos =
        leptos::config::get_configuration(None).map_err(|e| StartError::Leptos(e.to_string()))?;
    let options = leptos.leptos_options;
    let test_support = test_support::enabled_by_environment();
    let grace = std::time::Duration::from_secs(settings.operations.shutdown_grace_seconds.into());

    let transport = ConfiguredTransport::from_settings(&settings).await?;
    let poll = std::time::Duration::from_millis(settings.mail.poll_interval_ms.max(50));
    let state = open_state(settings).await?;
    let stopping = Stopping::default();
    let deliverer = Deliverer::new(
        state.db.clone(),
        state.clock.clone(),
        &state.settings.mail,
        transport,
    )?
    .stopping_on(stopping.clone());
    let worker = tokio::spawn(deliverer.run(poll));
    let purger = tokio::spawn(Purger::new(&state).run());
    let summarizer = tokio::spawn(Summarizer::new(&state).run());
    let warner = tokio::spawn(Warner::new(&state).run());

    let address = options.site_addr;
    let app = router_stopping_on(state, options, test_support, stopping.clone());
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
    let (stop_asked, mut stop_heard) = tokio::sync::watch::channel(false);
    let served = axum::serve(listener, app).with_graceful_shutdown({
        let stopping = stopping.clone();
        async move {
            stop_signal().await;
            tracing::info!(
                grace_seconds = grace.as_secs(),
                "stopping: no new connections; finishing the requests in flight"
            );
            stopping.begin();
            let _ = stop_asked.send(true);
        }
    });
    // Graceful shutdown waits for every connection to end; past the grace
    // period, the instance stops anyway (a client that keeps a request open
    // must not hold a deployment).
    let outcome = tokio::select! {
        served = served.into_future() => served.map_err(StartError::Network),
        () = async {
            let _ = stop_heard.wait_for(|asked| *asked).await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!("grace period over: the requests still in flight are cut");
            Ok(())
        }
    };
    // The mail worker finishes the message it is sending and gives the rest
    // back (`Deliverer::stopping_on`); the periodic tasks hold no claim
    // between their transactions, so they can simply stop.
    stopping.begin();
    if tokio::time::timeout(grace, worker).await.is_err() {
        tracing::warn!("the mail worker did not stop within the grace period");
    }
    purger.abort();
    summarizer.abort();
    warner.abort();
    tracing::info!("stopped");
    outcome
}

/// SIGTERM (systemd, a container runtime) or Ctrl-C. If no handler can be
/// installed, never: the process runs until killed.
async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
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
