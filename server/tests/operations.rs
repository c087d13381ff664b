//! Issue 18, item 6 (the operator's endpoints) and item 4's orderly stop:
//! liveness and readiness, metrics only to the configured scraper, the
//! counts an operator watches (requests per route, logins and lock-outs,
//! the outbox), and a mail worker that gives its claims back when the
//! instance stops. The process-level half (SIGTERM, JSON logs) is in
//! `stopping.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts;
use app::backend::entities::mail_outbox::{self, OutboxStatus};
use app::backend::outbox::{self, NewMail};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{get, options, send};
use common::{active_user, sqlite};
use lettre::Message;
use sea_orm::EntityTrait;
use server::mail::{Deliverer, DeliveryError, MailTransport};
use server::operations::Stopping;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "jeton-de-prometheus-0123456789";

fn mail(to: &str) -> NewMail {
    NewMail {
        recipient: to.into(),
        subject: "Bienvenue".into(),
        text_body: "Texte".into(),
        html_body: "<p>HTML</p>".into(),
    }
}

fn scrape(token: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_instance_is_live_and_ready_until_it_begins_to_stop() {
    let backend = sqlite().await;
    let state = backend.state();
    let stopping = Stopping::default();
    let router = server::router_stopping_on(state.clone(), options(), false, stopping.clone());

    assert_eq!(send(&router, get("/livez")).await.0, StatusCode::OK);
    let (status, _, body) = send(&router, get("/readyz")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["database"], "ok");
    assert_eq!(ready["outbox_waiting"], 0);

    // Two messages wait, the older one queued ten minutes before now.
    outbox::enqueue(&state.db, mail("a@example.fr"), state.clock.now())
        .await
        .unwrap();
    state.clock.advance(600);
    outbox::enqueue(&state.db, mail("b@example.fr"), state.clock.now())
        .await
        .unwrap();
    let (status, _, body) = send(&router, get("/healthz")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["outbox_waiting"], 2);
    assert_eq!(ready["outbox_oldest_age_seconds"], 600);

    stopping.begin();
    let (status, _, body) = send(&router, get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("\"stopping\":true"), "{body}");
    assert_eq!(send(&router, get("/livez")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn without_a_token_configured_there_are_no_metrics() {
    let (router, _, _db) = common::http::app(false).await;
    assert_eq!(send(&router, scrape(None)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        send(&router, scrape(Some(""))).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn metrics_app() -> (Router, app::backend::AppState, common::TestDb) {
    let backend = sqlite().await;
    let state = backend.state_with(|settings| {
        settings.operations.metrics_token = TOKEN.into();
    });
    let router = server::router(state.clone(), options(), false);
    (router, state, backend)
}

#[tokio::test]
async fn metrics_are_read_only_with_the_configured_token() {
    let (router, _, _db) = metrics_app().await;
    for refused in [
        scrape(None),
        scrape(Some("jeton-au-hasard")),
        scrape(Some(&TOKEN[..TOKEN.len() - 1])),
        Request::get("/metrics")
            .header(header::AUTHORIZATION, format!("Basic {TOKEN}"))
            .body(Body::empty())
            .unwrap(),
    ] {
        let (status, headers, body) = send(&router, refused).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(headers.contains_key(header::WWW_AUTHENTICATE));
        assert!(!body.contains("portal_"), "{body}");
    }
    let (status, headers, body) = send(&router, scrape(Some(TOKEN))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(body.ends_with("# EOF\n"), "{body}");
}

#[tokio::test]
async fn metrics_count_requests_by_route_logins_by_outcome_and_the_outbox() {
    let (router, state, _db) = metrics_app().await;
    active_user(&state, "m@example.fr").await;
    for _ in 0..6 {
        let _ = accounts::check_password(&state, "m@example.fr", "Mauvais-mot2passe", "192.0.2.7")
            .await;
    }
    outbox::enqueue(&state.db, mail("m2@example.fr"), state.clock.now())
        .await
        .unwrap();
    assert_eq!(send(&router, get("/livez")).await.0, StatusCode::OK);
    // An unknown path is one series, whatever the path.
    send(&router, get("/nulle-part/12345")).await;
    send(&router, get("/ailleurs")).await;
    // Refused by the CSRF guard, and counted all the same.
    let forged = Request::post("/api/me")
        .header(header::ORIGIN, "https://ailleurs.example")
        .header(header::HOST, "portail.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&router, forged).await.0, StatusCode::FORBIDDEN);

    let (_, _, body) = send(&router, scrape(Some(TOKEN))).await;
    for expected in [
        "portal_http_request_duration_seconds_bucket{le=\"0.001\",method=\"GET\",route=\"/livez\",status=\"2xx\"}",
        "portal_http_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"4xx\"}",
        "portal_http_request_duration_seconds_count{method=\"POST\",route=\"/api/me\",status=\"4xx\"}",
        "portal_audit_events_total{event=\"login.failed\"}",
        "portal_audit_events_total{event=\"login.locked\"}",
        "# TYPE portal_hashing_jobs gauge",
        "# TYPE portal_hashing_refused counter",
        "portal_outbox_waiting_messages ",
        "portal_outbox_oldest_age_seconds ",
    ] {
        assert!(body.contains(expected), "{expected} missing from:\n{body}");
    }
    assert!(!body.contains("nulle-part"), "{body}");
    // Six wrong passwords in this test alone: the family counts at least
    // those (other tests of this binary add theirs).
    let failed: f64 = body
        .lines()
        .find_map(|line| line.strip_prefix("portal_audit_events_total{event=\"login.failed\"} "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(failed >= 5.0, "{failed}");
}

/// A transport that begins the instance's stop while it sends the first
/// message, as a SIGTERM arriving in the middle of a batch would.
#[derive(Clone)]
struct StopsOnFirstSend {
    stopping: Stopping,
    sent: Arc<Mutex<usize>>,
}

impl MailTransport for StopsOnFirstSend {
    async fn send(&self, _message: Message) -> Result<(), DeliveryError> {
        *self.sent.lock().unwrap() += 1;
        self.stopping.begin();
        Ok(())
    }
}

#[tokio::test]
async fn a_stopping_worker_finishes_its_message_and_gives_the_others_back() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        for to in ["a@example.fr", "b@example.fr", "c@example.fr"] {
            outbox::enqueue(&state.db, mail(to), state.clock.now())
                .await
                .unwrap();
        }
        let stopping = Stopping::default();
        let transport = StopsOnFirstSend {
            stopping: stopping.clone(),
            sent: Arc::default(),
        };
        let deliverer = Deliverer::new(
            state.db.clone(),
            state.clock.clone(),
            &state.settings.mail,
            transport.clone(),
        )
        .unwrap()
        .stopping_on(stopping);
        let report = deliverer.deliver_due().await.unwrap();
        assert_eq!(report.sent, 1, "{}", backend.name);
        assert_eq!(*transport.sent.lock().unwrap(), 1);

        let rows = mail_outbox::Entity::find().all(&state.db).await.unwrap();
        let sent: Vec<_> = rows
            .iter()
            .filter(|row| row.status == OutboxStatus::Sent)
            .collect();
        assert_eq!(sent.len(), 1);
        // The two others are pending and free for another instance now,
        // not when the lease would have ended.
        let given_back: Vec<_> = rows
            .iter()
            .filter(|row| row.status == OutboxStatus::Pending)
            .collect();
        assert_eq!(given_back.len(), 2, "{}", backend.name);
        assert!(given_back.iter().all(|row| row.claimed_until.is_none()));
        let again = outbox::claim_due(
            &state.db,
            state.clock.now(),
            chrono::Duration::minutes(5),
            10,
        )
        .await
        .unwrap();
        assert_eq!(again.len(), 2);
    })
    .await;
}
