//! Rule R1: the outbox commits with the change that caused it, keeps messages
//! while the transport fails, and delivers each exactly once; rule R3: once
//! delivered, a message keeps no link or code, and goes after its retention.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::audit::{self, AuditEntry, Subject};
use app::backend::entities::{audit_log, mail_outbox, mail_outbox::OutboxStatus};
use app::backend::mails;
use app::backend::outbox::{self, NewMail};
use app::backend::purge::Purger;
use app::domain::preferences::Language;
use chrono::Duration;
use lettre::Message;
use sea_orm::{EntityTrait, PaginatorTrait, TransactionTrait};
use server::mail::{Deliverer, DeliveryError, MailTransport, RoundReport};
use server::mailbox;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A transport that can be switched off, and remembers what it delivered.
#[derive(Clone, Default)]
struct FlakyTransport {
    down: Arc<AtomicBool>,
    delivered: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl FlakyTransport {
    fn delivered(&self) -> usize {
        self.delivered.lock().unwrap().len()
    }
}

impl MailTransport for FlakyTransport {
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(DeliveryError::Transport("connection refused".into()));
        }
        self.delivered.lock().unwrap().push(message.formatted());
        Ok(())
    }
}

fn deliverer<T: MailTransport>(state: &app::backend::AppState, transport: T) -> Deliverer<T> {
    Deliverer::new(
        state.db.clone(),
        state.clock.clone(),
        &state.settings.mail,
        transport,
    )
    .unwrap()
}

fn mail(to: &str, subject: &str) -> NewMail {
    NewMail {
        recipient: to.into(),
        subject: subject.into(),
        text_body: format!("Texte : {subject}"),
        html_body: format!("<p>HTML : {subject}</p>"),
    }
}

#[tokio::test]
async fn a_message_waits_while_the_transport_is_down_then_goes_exactly_once() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let transport = FlakyTransport::default();
        transport.down.store(true, Ordering::SeqCst);
        let deliverer = deliverer(&state, transport.clone());
        let id = outbox::enqueue(
            &state.db,
            mail("a@example.fr", "Bienvenue"),
            state.clock.now(),
        )
        .await
        .unwrap();

        let report = deliverer.deliver_due().await.unwrap();
        assert_eq!(
            report,
            RoundReport {
                sent: 0,
                retried: 1,
                rejected: 0
            },
            "{}",
            backend.name
        );
        let row = mail_outbox::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, OutboxStatus::Pending);
        assert_eq!(row.attempts, 1);
        assert!(row.next_attempt_at > state.clock.now());
        assert_eq!(row.last_error.as_deref(), Some("connection refused"));

        // Back up, but the back-off has not elapsed: nothing is sent yet.
        transport.down.store(false, Ordering::SeqCst);
        assert_eq!(
            deliverer.deliver_due().await.unwrap(),
            RoundReport::default()
        );
        assert_eq!(transport.delivered(), 0);

        let retry_base = i64::from(state.settings.mail.retry_base_seconds);
        state.clock.advance(retry_base as u32 + 1);
        let report = deliverer.deliver_due().await.unwrap();
        assert_eq!(report.sent, 1, "{}", backend.name);
        assert_eq!(transport.delivered(), 1);

        // Later rounds never send it again.
        state.clock.advance(24 * 3600);
        assert_eq!(
            deliverer.deliver_due().await.unwrap(),
            RoundReport::default()
        );
        assert_eq!(transport.delivered(), 1);
        let row = mail_outbox::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, OutboxStatus::Sent);
        assert_eq!(row.attempts, 2);
        assert!(row.sent_at.is_some());
    })
    .await;
}

#[tokio::test]
async fn retries_back_off_exponentially() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let transport = FlakyTransport::default();
        transport.down.store(true, Ordering::SeqCst);
        let deliverer = deliverer(&state, transport);
        let id = outbox::enqueue(&state.db, mail("b@example.fr", "Code"), state.clock.now())
            .await
            .unwrap();
        let base = i64::from(state.settings.mail.retry_base_seconds);
        for attempt in 0..3_i64 {
            let before = state.clock.now();
            assert_eq!(deliverer.deliver_due().await.unwrap().retried, 1);
            let row = mail_outbox::Entity::find_by_id(id)
                .one(&state.db)
                .await
                .unwrap()
                .unwrap();
            let wait = row.next_attempt_at - before;
            let expected = Duration::seconds(base << attempt);
            assert!(
                wait >= expected && wait < expected + Duration::seconds(5),
                "{wait}"
            );
            state.clock.advance((base << attempt) as u32 + 1);
        }
    })
    .await;
}

#[tokio::test]
async fn an_undeliverable_address_is_rejected_not_retried() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let transport = FlakyTransport::default();
        let deliverer = deliverer(&state, transport.clone());
        let id = outbox::enqueue(&state.db, mail("not an address", "x"), state.clock.now())
            .await
            .unwrap();
        assert_eq!(deliverer.deliver_due().await.unwrap().rejected, 1);
        state.clock.advance(7 * 24 * 3600);
        assert_eq!(
            deliverer.deliver_due().await.unwrap(),
            RoundReport::default()
        );
        let row = mail_outbox::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, OutboxStatus::Rejected);
        assert_eq!(transport.delivered(), 0);
    })
    .await;
}

#[tokio::test]
async fn the_message_and_the_audit_entry_commit_or_roll_back_with_the_change() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let entry = || AuditEntry {
            actor_user_id: None,
            event: "test.event",
            subject: Subject::Ticket(1),
            client_ip: None,
            details: serde_json::json!({"k": 1}),
        };

        let txn = state.db.begin().await.unwrap();
        outbox::enqueue(&txn, mail("c@example.fr", "annulé"), now)
            .await
            .unwrap();
        audit::record(&txn, entry(), now).await.unwrap();
        txn.rollback().await.unwrap();
        assert_eq!(
            mail_outbox::Entity::find().count(&state.db).await.unwrap(),
            0
        );
        assert_eq!(audit_log::Entity::find().count(&state.db).await.unwrap(), 0);

        let txn = state.db.begin().await.unwrap();
        outbox::enqueue(&txn, mail("c@example.fr", "validé"), now)
            .await
            .unwrap();
        audit::record(&txn, entry(), now).await.unwrap();
        txn.commit().await.unwrap();
        assert_eq!(
            mail_outbox::Entity::find().count(&state.db).await.unwrap(),
            1
        );
        assert_eq!(audit_log::Entity::find().count(&state.db).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_instances_deliver_each_message_once() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        for i in 0..30 {
            outbox::enqueue(
                &state.db,
                mail("d@example.fr", &format!("n°{i}")),
                state.clock.now(),
            )
            .await
            .unwrap();
        }
        let transport = FlakyTransport::default();
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let deliverer = deliverer(&state, transport.clone());
                tokio::spawn(async move { deliverer.deliver_due().await.unwrap().sent })
            })
            .collect();
        let mut sent = 0;
        for worker in workers {
            sent += worker.await.unwrap();
        }
        assert_eq!(sent, 30, "{}", backend.name);
        assert_eq!(transport.delivered(), 30);
        let mut subjects: Vec<String> = transport
            .delivered
            .lock()
            .unwrap()
            .iter()
            .map(|raw| {
                let text = String::from_utf8_lossy(raw);
                text.lines()
                    .find(|l| l.starts_with("Subject:"))
                    .unwrap()
                    .to_owned()
            })
            .collect();
        subjects.sort();
        subjects.dedup();
        assert_eq!(subjects.len(), 30);
    })
    .await;
}

#[tokio::test]
async fn the_file_mailbox_shows_delivered_mail_newest_first() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let transport = server::mail::ConfiguredTransport::from_settings(&state.settings)
            .await
            .unwrap();
        let deliverer = deliverer(&state, transport);
        let dir = state.settings.storage.mailbox_dir();
        assert!(mailbox::read(&dir).await.unwrap().is_empty());

        outbox::enqueue(
            &state.db,
            mail("premier@example.fr", "Premier"),
            state.clock.now(),
        )
        .await
        .unwrap();
        outbox::enqueue(
            &state.db,
            mail("second@example.fr", "Deuxième é"),
            state.clock.now(),
        )
        .await
        .unwrap();
        assert_eq!(deliverer.deliver_due().await.unwrap().sent, 2);

        let entries = mailbox::read(&dir).await.unwrap();
        let json = serde_json::to_value(&entries).unwrap();
        assert_eq!(json[0]["to"], "second@example.fr");
        assert_eq!(json[0]["subject"], "Deuxième é");
        assert!(
            json[0]["text"]
                .as_str()
                .unwrap()
                .contains("Texte : Deuxième é")
        );
        assert!(
            json[0]["html"]
                .as_str()
                .unwrap()
                .contains("<p>HTML : Deuxième é</p>")
        );
        assert!(chrono::DateTime::parse_from_rfc3339(json[0]["sent_at"].as_str().unwrap()).is_ok());
        assert_eq!(json[1]["to"], "premier@example.fr");

        mailbox::clear(&dir).await.unwrap();
        assert!(mailbox::read(&dir).await.unwrap().is_empty());
    })
    .await;
}

/// A message as the portal writes it, to `to`, in French.
fn portal_context(to: &str) -> mails::Context<'_> {
    mails::Context {
        language: Language::Fr,
        product: "Facturo",
        recipient: to,
    }
}

#[tokio::test]
async fn delivery_leaves_no_link_or_code_in_the_outbox_and_retention_deletes_the_row() {
    const TOKEN: &str = "Zq8xW3jeton0secret1Kp";
    const CODE: &str = "493817";
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let link = state
            .settings
            .site
            .link(&format!("/activation?jeton={TOKEN}"));
        let cx = portal_context("lea@example.fr");
        outbox::enqueue(&state.db, mails::activation(&cx, "Léa", &link, 60), now)
            .await
            .unwrap();
        outbox::enqueue(&state.db, mails::login_code(&cx, "Léa", CODE, 10), now)
            .await
            .unwrap();
        let bad = portal_context("not an address");
        outbox::enqueue(&state.db, mails::login_code(&bad, "Léa", CODE, 10), now)
            .await
            .unwrap();

        let transport = server::mail::ConfiguredTransport::from_settings(&state.settings)
            .await
            .unwrap();
        let report = deliverer(&state, transport).deliver_due().await.unwrap();
        assert_eq!(
            report,
            RoundReport {
                sent: 2,
                retried: 0,
                rejected: 1
            },
            "{}",
            backend.name
        );

        // The recipient got the link and the code…
        let delivered = mailbox::read(&state.settings.storage.mailbox_dir())
            .await
            .unwrap();
        let delivered = serde_json::to_string(&delivered).unwrap();
        assert!(delivered.contains(TOKEN) && delivered.contains(CODE));
        // …and no column of any outbox row holds either.
        let rows = mail_outbox::Entity::find().all(&state.db).await.unwrap();
        assert_eq!(rows.len(), 3);
        for row in &rows {
            let status = format!("{:?}", row.status);
            let columns = [
                row.id.to_string(),
                row.recipient.clone(),
                row.subject.clone(),
                row.text_body.clone(),
                row.html_body.clone(),
                status,
                row.attempts.to_string(),
                row.last_error.clone().unwrap_or_default(),
            ];
            for column in columns {
                assert!(
                    !column.contains(TOKEN) && !column.contains(CODE),
                    "{}: {column}",
                    backend.name
                );
            }
            assert_eq!(row.text_body, outbox::REDACTED);
            assert_eq!(row.html_body, outbox::REDACTED);
            assert!(
                !row.subject.is_empty(),
                "the subject stays for the audit trail"
            );
        }

        // A message still waiting keeps its body, whatever its age.
        let waiting = outbox::enqueue(&state.db, mail("e@example.fr", "En attente"), now)
            .await
            .unwrap();

        // Kept for the retention period, then deleted.
        let retention = state.settings.mail.delivered_retention_days * 24 * 3600;
        let purger = Purger::new(&state);
        state.clock.advance(retention - 60);
        assert_eq!(purger.pass().await.unwrap().outbox_messages, 0);
        assert_eq!(
            mail_outbox::Entity::find().count(&state.db).await.unwrap(),
            4
        );
        state.clock.advance(120);
        assert_eq!(
            purger.pass().await.unwrap().outbox_messages,
            3,
            "{}",
            backend.name
        );
        let left = mail_outbox::Entity::find().all(&state.db).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id, waiting);
        assert_eq!(left[0].text_body, "Texte : En attente");
    })
    .await;
}
