//! Delivering the outbox with lettre (rule R1).
//!
//! The [`Deliverer`] claims due messages, builds each one (plain text and
//! HTML alternatives), hands it to a [`MailTransport`] and records the
//! outcome. A transport failure leaves the message queued with a back-off;
//! nothing is lost while the mail server is down. The default transport
//! writes `.eml` files to the data folder (the embedded mailbox); SMTP is
//! chosen by configuration. Recording a delivery scrubs the message's
//! bodies (links, codes) from the outbox.

use crate::operations::Stopping;
use app::backend::clock::Clock;
use app::backend::entities::mail_outbox;
use app::backend::outbox::{self, Failure};
use app::backend::settings::{MailSettings, MailTransportKind, Settings};
use chrono::{DateTime, Duration, Utc};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{DatabaseConnection, DbErr};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;

/// How long a worker holds a claimed message before another may try it.
const CLAIM_LEASE_MINUTES: i64 = 10;
/// Messages claimed per round.
const BATCH: u64 = 20;

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The message cannot be built or sent as it stands; retrying is useless.
    #[error("undeliverable message: {0}")]
    Invalid(String),
    /// The transport failed; a later attempt may succeed.
    #[error("transport failure: {0}")]
    Transport(String),
}

/// Where messages go.
pub trait MailTransport: Send + Sync {
    fn send(&self, message: Message) -> impl Future<Output = Result<(), DeliveryError>> + Send;
}

/// The transport chosen by configuration.
pub enum ConfiguredTransport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl ConfiguredTransport {
    /// Builds the transport of `settings`, creating the mailbox folder.
    pub async fn from_settings(settings: &Settings) -> Result<Self, DeliveryError> {
        match settings.mail.transport {
            MailTransportKind::File => {
                let dir = settings.storage.mailbox_dir();
                tokio::fs::create_dir_all(&dir)
                    .await
                    .map_err(|e| DeliveryError::Transport(format!("{}: {e}", dir.display())))?;
                Ok(ConfiguredTransport::File(AsyncFileTransport::new(dir)))
            }
            MailTransportKind::Smtp => {
                let url = &settings.mail.smtp_url;
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| DeliveryError::Invalid(format!("mail.smtp_url: {e}")))?;
                let ca_file = settings.mail.smtp_ca_file.trim();
                if !ca_file.is_empty() {
                    builder = builder.tls(tls_trusting(url, Path::new(ca_file)).await?);
                }
                Ok(ConfiguredTransport::Smtp(builder.build()))
            }
        }
    }
}

/// The TLS of `url` (STARTTLS required or opportunistic, or TLS from the
/// first byte, as lettre reads the URL) trusting the certificate authority
/// in `ca_file` besides the usual ones: a relay inside an organisation often
/// has a certificate from the organisation's own authority.
async fn tls_trusting(url: &str, ca_file: &Path) -> Result<Tls, DeliveryError> {
    let invalid = |what: String| DeliveryError::Invalid(format!("mail.smtp_ca_file: {what}"));
    let parsed = url::Url::parse(url).map_err(|e| invalid(format!("mail.smtp_url: {e}")))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| invalid("mail.smtp_url has no host".into()))?
        .to_owned();
    let pem = tokio::fs::read(ca_file)
        .await
        .map_err(|e| invalid(format!("{}: {e}", ca_file.display())))?;
    let authority = Certificate::from_pem(&pem).map_err(|e| invalid(e.to_string()))?;
    let parameters = TlsParameters::builder(host)
        .add_root_certificate(authority)
        .build_rustls()
        .map_err(|e| invalid(e.to_string()))?;
    let asked = parsed
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    match (parsed.scheme(), asked.as_deref()) {
        ("smtps", _) => Ok(Tls::Wrapper(parameters)),
        ("smtp", Some("required")) => Ok(Tls::Required(parameters)),
        ("smtp", Some("opportunistic")) => Ok(Tls::Opportunistic(parameters)),
        _ => Err(invalid(
            "mail.smtp_url uses no TLS (smtps://, or smtp://…?tls=required)".into(),
        )),
    }
}

impl MailTransport for ConfiguredTransport {
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        match self {
            ConfiguredTransport::File(file) => file
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| DeliveryError::Transport(e.to_string())),
            ConfiguredTransport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    DeliveryError::Invalid(e.to_string())
                } else {
                    DeliveryError::Transport(e.to_string())
                }
            }),
        }
    }
}

/// The `X-Portal-Outbox-Id` header: ties a delivered message to its outbox
/// row (the mailbox of the test support orders messages by it).
#[derive(Debug, Clone)]
pub struct OutboxIdHeader(pub String);

impl OutboxIdHeader {
    pub const NAME: &'static str = "X-Portal-Outbox-Id";
}

impl Header for OutboxIdHeader {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str(Self::NAME)
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(OutboxIdHeader(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Builds the MIME message of an outbox row, dated `now`.
pub fn build_message(
    from: &Mailbox,
    mail: &mail_outbox::Model,
    now: DateTime<Utc>,
) -> Result<Message, DeliveryError> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| DeliveryError::Invalid(format!("recipient: {e}")))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .date(now.into())
        .header(OutboxIdHeader(mail.id.to_string()))
        .multipart(MultiPart::alternative_plain_html(
            mail.text_body.clone(),
            mail.html_body.clone(),
        ))
        .map_err(|e| DeliveryError::Invalid(e.to_string()))
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RoundReport {
    pub sent: usize,
    pub retried: usize,
    pub rejected: usize,
}

/// Delivers the outbox through a transport.
pub struct Deliverer<T> {
    db: DatabaseConnection,
    clock: Arc<Clock>,
    from: Mailbox,
    retry_base: Duration,
    retry_max: Duration,
    transport: T,
    stopping: Stopping,
}

impl<T: MailTransport> Deliverer<T> {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<Clock>,
        mail: &MailSettings,
        transport: T,
    ) -> Result<Self, DeliveryError> {
        let from = mail
            .from
            .parse()
            .map_err(|e| DeliveryError::Invalid(format!("mail.from: {e}")))?;
        Ok(Deliverer {
            db,
            clock,
            from,
            retry_base: Duration::seconds(i64::from(mail.retry_base_seconds.max(1))),
            retry_max: Duration::seconds(i64::from(mail.retry_max_seconds.max(1))),
            transport,
            stopping: Stopping::default(),
        })
    }

    /// Stops delivering once `stopping` has begun: the message being sent is
    /// finished and recorded, the rest of its batch given back
    /// ([`outbox::release`]) for another instance or the next start.
    pub fn stopping_on(self, stopping: Stopping) -> Self {
        Deliverer { stopping, ..self }
    }

    /// Sends every message that is due now.
    pub async fn deliver_due(&self) -> Result<RoundReport, DbErr> {
        let mut report = RoundReport::default();
        loop {
            let now = self.clock.now();
            let lease = Duration::minutes(CLAIM_LEASE_MINUTES);
            let batch = outbox::claim_due(&self.db, now, lease, BATCH).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for (index, message) in batch.iter().enumerate() {
                if self.stopping.has_begun() {
                    let left: Vec<i32> = batch[index..].iter().map(|m| m.id).collect();
                    outbox::release(&self.db, &left).await?;
                    return Ok(report);
                }
                self.deliver_one(message, &mut report).await?;
            }
        }
    }

    async fn deliver_one(
        &self,
        message: &mail_outbox::Model,
        report: &mut RoundReport,
    ) -> Result<(), DbErr> {
        let now = self.clock.now();
        let outcome = match build_message(&self.from, message, now) {
            Ok(mime) => self.transport.send(mime).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                // Marked sent and scrubbed in one statement (see `outbox`).
                if !outbox::mark_sent(&self.db, message.id, self.clock.now()).await? {
                    tracing::warn!(
                        id = message.id,
                        "mail sent after its lease ran out; another worker recorded it"
                    );
                }
                report.sent += 1;
            }
            Err(DeliveryError::Transport(error)) => {
                tracing::warn!(id = message.id, %error, "mail delivery failed; will retry");
                let failure = Failure::Transient {
                    retry_base: self.retry_base,
                    retry_max: self.retry_max,
                };
                outbox::mark_failed(&self.db, message, self.clock.now(), &error, failure).await?;
                report.retried += 1;
            }
            Err(DeliveryError::Invalid(error)) => {
                tracing::error!(id = message.id, %error, "mail rejected; it will not be retried");
                outbox::mark_failed(
                    &self.db,
                    message,
                    self.clock.now(),
                    &error,
                    Failure::Permanent,
                )
                .await?;
                report.rejected += 1;
            }
        }
        Ok(())
    }

    /// Delivers every `poll_interval` until the instance stops. Database
    /// errors are logged and the loop goes on (the database may come back).
    pub async fn run(self, poll_interval: std::time::Duration) {
        while !self.stopping.has_begun() {
            if let Err(error) = self.deliver_due().await {
                tracing::error!(%error, "mail outbox round failed");
            }
            tokio::time::sleep(poll_interval).await;
        }
    }
}
