//! Issue 18, item 3: delivery through a real SMTP server that goes down.
//!
//! The server is aiosmtpd from PyPI, unmodified (`end2end/python/
//! smtp_relay.py`, in the virtual environment `scripts/setup.sh e2e`
//! makes), set up as a production relay: STARTTLS required, AUTH required
//! over TLS, a certificate from an authority the portal trusts through
//! `mail.smtp_ca_file`. The portal's side is what production runs: the
//! transport built from the settings' `smtp_url`, the outbox and its worker.
//! The server's clock is the test clock, so the retries' spacing is read,
//! not waited for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts;
use app::backend::entities::mail_outbox::{self, OutboxStatus};
use app::backend::outbox::{self, NewMail};
use app::backend::settings::MailTransportKind;
use app::domain::preferences::Preferences;
use sea_orm::{EntityTrait, QueryOrder};
use server::mail::{ConfiguredTransport, Deliverer};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const USER: &str = "facturo";
const PASSWORD: &str = "mot de passe du relais";

/// The relay's process; stopped (SIGTERM) when dropped.
struct Relay(Child);

impl Relay {
    fn start(port: u16, folder: &Path) -> Relay {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join("end2end/.venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: run `scripts/setup.sh e2e` (make test does)",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(root.join("end2end/python/smtp_relay.py"))
            .args(["--port", &port.to_string()])
            .arg("--certs")
            .arg(folder.join("certs"))
            .args(["--user", USER, "--password", PASSWORD])
            .arg("--out")
            .arg(folder.join("received.jsonl"))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready", "the SMTP relay did not start");
        Relay(child)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

/// What the relay received, in order.
fn received(folder: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(folder.join("received.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn header<'a>(message: &'a serde_json::Value, name: &str) -> &'a str {
    let data = message["data"].as_str().unwrap();
    data.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in {data}"))
}

fn mail(to: &str, subject: &str) -> NewMail {
    NewMail {
        recipient: to.into(),
        subject: subject.into(),
        text_body: format!("Texte : {subject}"),
        html_body: format!("<p>{subject}</p>"),
    }
}

async fn pending(state: &app::backend::AppState) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .order_by_asc(mail_outbox::Column::Id)
        .all(&state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.status == OutboxStatus::Pending)
        .collect()
}

#[tokio::test]
async fn mail_waits_while_the_relay_is_down_then_arrives_once_in_order() {
    let backend = common::sqlite().await;
    let folder = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let relay = Relay::start(port, folder.path());
    let state = backend.state_with(|settings| {
        settings.mail.transport = MailTransportKind::Smtp;
        settings.mail.smtp_url =
            format!("smtp://{USER}:mot%20de%20passe%20du%20relais@localhost:{port}?tls=required");
        settings.mail.smtp_ca_file = folder.path().join("certs/ca.pem").display().to_string();
        settings.mail.retry_base_seconds = 30;
        settings.mail.retry_max_seconds = 3600;
    });
    let transport = ConfiguredTransport::from_settings(&state.settings)
        .await
        .unwrap();
    let deliverer = Deliverer::new(
        state.db.clone(),
        state.clock.clone(),
        &state.settings.mail,
        transport,
    )
    .unwrap();
    let now = || state.clock.now();

    // Up: delivered over TLS, authenticated.
    outbox::enqueue(&state.db, mail("a@example.fr", "A1"), now())
        .await
        .unwrap();
    outbox::enqueue(&state.db, mail("a@example.fr", "A2"), now())
        .await
        .unwrap();
    assert_eq!(deliverer.deliver_due().await.unwrap().sent, 2);
    let first = received(folder.path());
    assert_eq!(first.len(), 2);
    assert!(
        first
            .iter()
            .all(|m| m["tls"] == true && m["authenticated"] == true)
    );

    // Down: the portal keeps taking work (a sign-up queues its activation
    // link); the messages wait, each attempt pushing the next further away.
    drop(relay);
    outbox::enqueue(&state.db, mail("a@example.fr", "A3"), now())
        .await
        .unwrap();
    accounts::sign_up(
        &state,
        &common::form("b@example.fr"),
        Preferences::default(),
    )
    .await
    .unwrap();
    outbox::enqueue(&state.db, mail("a@example.fr", "A4"), now())
        .await
        .unwrap();
    outbox::enqueue(&state.db, mail("b@example.fr", "B2"), now())
        .await
        .unwrap();
    let report = deliverer.deliver_due().await.unwrap();
    assert_eq!(
        (report.sent, report.retried),
        (0, 2),
        "A3 and b's link; A4, B2 wait behind them"
    );
    let mut waits = Vec::new();
    for round in 0..3 {
        let rows = pending(&state).await;
        assert_eq!(rows.len(), 4);
        let a3 = rows.iter().find(|r| r.subject == "A3").unwrap();
        assert_eq!(a3.attempts, round + 1);
        waits.push((a3.next_attempt_at - now()).num_seconds());
        // Nothing is tried before its time.
        assert_eq!(deliverer.deliver_due().await.unwrap().retried, 0);
        state
            .clock
            .advance(u32::try_from(*waits.last().unwrap()).unwrap() + 1);
        if round < 2 {
            assert_eq!(deliverer.deliver_due().await.unwrap().retried, 2);
        }
    }
    // 30 s, then 60 s, then 120 s (give or take the second of the test).
    assert!((29..=30).contains(&waits[0]), "{waits:?}");
    assert!((59..=60).contains(&waits[1]), "{waits:?}");
    assert!((119..=120).contains(&waits[2]), "{waits:?}");
    assert_eq!(received(folder.path()).len(), 2);

    // Back up: everything arrives, once, in order per recipient.
    let _relay = Relay::start(port, folder.path());
    for _ in 0..5 {
        deliverer.deliver_due().await.unwrap();
        if pending(&state).await.is_empty() {
            break;
        }
        state.clock.advance(3600);
    }
    assert!(pending(&state).await.is_empty());
    state.clock.advance(24 * 3600);
    assert_eq!(deliverer.deliver_due().await.unwrap().sent, 0);

    let all = received(folder.path());
    let ids: Vec<&str> = all
        .iter()
        .map(|m| header(m, "X-Portal-Outbox-Id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 6, "{ids:?}");
    assert_eq!(ids.len(), 6, "a message arrived twice: {ids:?}");
    let subjects_to = |to: &str| -> Vec<String> {
        all.iter()
            .filter(|m| m["to"][0] == to)
            .map(|m| header(m, "Subject").to_owned())
            .collect()
    };
    assert_eq!(subjects_to("a@example.fr"), ["A1", "A2", "A3", "A4"]);
    let to_b = subjects_to("b@example.fr");
    assert_eq!(to_b.len(), 2);
    assert_eq!(to_b[1], "B2", "{to_b:?}");
    assert!(
        all.iter()
            .all(|m| m["tls"] == true && m["authenticated"] == true)
    );
}
