//! The portal's runtime settings, as read from `Leptos.toml` and the
//! environment by the server binary (see `server/src/config.rs`). Every field
//! has a default, so the portal runs with no configuration at all.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub site: SiteSettings,
    pub storage: StorageSettings,
    pub mail: MailSettings,
    pub security: SecuritySettings,
    pub directory: DirectorySettings,
    pub support: SupportSettings,
    pub purge: PurgeSettings,
    pub notifications: NotificationSettings,
    pub technical: TechnicalSettings,
    pub operations: OperationsSettings,
}

/// What the operator sees of a running instance (issue 18; README
/// *Operations*).
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct OperationsSettings {
    /// The bearer token Prometheus presents to read `/metrics`. Empty (the
    /// default): `/metrics` does not exist (404), so a portal deployed
    /// without thinking about it publishes nothing.
    pub metrics_token: String,
    /// `text` (the default, for people) or `json` (one JSON object a line,
    /// for a log collector).
    pub log_format: LogFormat,
    /// Seconds a stopping instance (SIGTERM, Ctrl-C) gives the requests in
    /// flight before it exits anyway.
    pub shutdown_grace_seconds: u32,
}

impl Default for OperationsSettings {
    fn default() -> Self {
        OperationsSettings {
            metrics_token: String::new(),
            log_format: LogFormat::Text,
            shutdown_grace_seconds: 20,
        }
    }
}

impl fmt::Debug for OperationsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = if self.metrics_token.is_empty() {
            ""
        } else {
            "<set>"
        };
        f.debug_struct("OperationsSettings")
            .field("metrics_token", &token)
            .field("log_format", &self.log_format)
            .field("shutdown_grace_seconds", &self.shutdown_grace_seconds)
            .finish()
    }
}

/// How the server writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The structures' technical users (rules T1, T3; `backend::technical`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TechnicalSettings {
    /// The domain of the technical logins, `TECH_<identifier>@<domain>`:
    /// the platform's own, never a mailbox.
    pub login_domain: String,
    /// Days a technical password lasts (the public platform renews it
    /// every 424).
    pub password_days: u32,
    /// API calls a second per technical account and server instance, with
    /// bursts of twice as many (issue 17).
    pub api_calls_per_second: u32,
    /// How often the expiry warnings are looked for
    /// (`backend::technical::warnings`).
    pub warning_interval_seconds: u32,
}

impl Default for TechnicalSettings {
    fn default() -> Self {
        TechnicalSettings {
            login_domain: "facturo.example.fr".into(),
            password_days: crate::domain::technical::DEFAULT_PASSWORD_DAYS,
            api_calls_per_second: 50,
            warning_interval_seconds: 3600,
        }
    }
}

/// The purge of expired rows (see `backend::purge`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct PurgeSettings {
    /// Minutes between two purges by one server instance (each wait is
    /// drawn within a fifth of it either way).
    pub interval_minutes: u32,
    /// Days a used or expired login code or link is kept, so that an old
    /// link is still told "expired" or "already used", not "unknown".
    pub spent_grace_days: u32,
}

impl Default for PurgeSettings {
    fn default() -> Self {
        PurgeSettings {
            interval_minutes: 60,
            spent_grace_days: 7,
        }
    }
}

/// The weekly summary (rule P2, `backend::notifications::summary`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationSettings {
    /// Seconds between two looks for due weekly summaries by one server
    /// instance (each wait is drawn within a fifth of it either way): a
    /// week's summaries leave within this time after Monday 00:00 UTC.
    pub summary_interval_seconds: u32,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            summary_interval_seconds: 600,
        }
    }
}

/// Who is **Support** (rule U2, S10): the login addresses of the support
/// team's accounts. A configuration list rather than a database flag, so
/// that granting the role is an operator's act, not a button a compromised
/// account could press; the accounts themselves sign up and log in like
/// any other (their address is proven by the activation link).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportSettings {
    pub logins: Vec<String>,
}

impl SupportSettings {
    /// Whether the account with this login address is Support.
    pub fn is_support(&self, login_email: &str) -> bool {
        self.logins
            .iter()
            .any(|l| l.trim().eq_ignore_ascii_case(login_email))
    }
}

/// The SIRENE directory (rule S3).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectorySettings {
    /// Load the made-up sample set into an empty directory at start, so a
    /// new installation can create structures at once. Production imports
    /// INSEE's files (`server import-sirene`) and turns this off.
    pub load_sample: bool,
}

impl Default for DirectorySettings {
    fn default() -> Self {
        DirectorySettings { load_sample: true }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    /// The address users reach the portal at, used in links sent by e-mail.
    pub public_url: String,
    /// The product's name, used in e-mail subjects.
    pub product_name: String,
}

impl SiteSettings {
    /// The address of a page of the portal (`path` starts with `/`), for
    /// links sent by e-mail.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.trim_end_matches('/'), path)
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            public_url: "http://localhost:3000".into(),
            product_name: "Facturo".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageSettings {
    /// Folder for the embedded database and the file mailbox.
    pub data_dir: PathBuf,
    /// A `postgres://` or `sqlite://` URL; empty means the embedded SQLite
    /// file `<data_dir>/portal.sqlite`.
    pub database_url: String,
    /// Most connections the pool opens.
    pub max_connections: u32,
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            max_connections: 10,
        }
    }
}

impl StorageSettings {
    /// The database URL in force: the configured one, or the embedded file.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("portal.sqlite").display()
            )
        } else {
            self.database_url.trim().to_owned()
        }
    }

    /// The folder of the file mailbox.
    pub fn mailbox_dir(&self) -> PathBuf {
        self.data_dir.join("mailbox")
    }
}

/// How e-mails leave the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// Written as `.eml` files under `<data_dir>/mailbox` (the default).
    #[default]
    File,
    /// Sent to the SMTP server of `smtp_url`.
    Smtp,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    /// `smtp://user:password@host:port` or `smtps://…`; may hold a secret,
    /// so it is never printed.
    pub smtp_url: String,
    /// A PEM file of a certificate authority to trust for the SMTP server's
    /// certificate, besides the usual ones (empty: only those).
    pub smtp_ca_file: String,
    /// The sender of every e-mail.
    pub from: String,
    /// How often the delivery worker looks for due messages, in milliseconds.
    pub poll_interval_ms: u64,
    /// Delay before the first retry; each further retry doubles it.
    pub retry_base_seconds: u32,
    /// Longest delay between two retries.
    pub retry_max_seconds: u32,
    /// Days a sent (or rejected) message, its bodies already scrubbed, stays
    /// in the outbox for the audit trail before it is deleted.
    pub delivered_retention_days: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: MailTransportKind::File,
            smtp_url: String::new(),
            smtp_ca_file: String::new(),
            from: "Facturo <ne-pas-repondre@facturo.localhost>".into(),
            poll_interval_ms: 500,
            retry_base_seconds: 30,
            retry_max_seconds: 3600,
            delivered_retention_days: 30,
        }
    }
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("transport", &self.transport)
            .field(
                "smtp_url",
                &if self.smtp_url.is_empty() {
                    ""
                } else {
                    "<set>"
                },
            )
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("from", &self.from)
            .field("poll_interval_ms", &self.poll_interval_ms)
            .field("retry_base_seconds", &self.retry_base_seconds)
            .field("retry_max_seconds", &self.retry_max_seconds)
            .field("delivered_retention_days", &self.delivered_retention_days)
            .finish()
    }
}

/// Security parameters. Defaults follow the rules of the specification and
/// OWASP's recommendations; see `Leptos.toml` for what each one means.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SecuritySettings {
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    pub max_failed_logins: u32,
    pub lockout_minutes: u32,
    pub activation_link_minutes: u32,
    pub reset_link_minutes: u32,
    pub login_code_minutes: u32,
    pub login_code_max_attempts: u32,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub address_change_hours: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see
    /// `backend::client`); none by default.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            max_failed_logins: 5,
            lockout_minutes: 15,
            activation_link_minutes: 60,
            reset_link_minutes: 60,
            login_code_minutes: 10,
            login_code_max_attempts: 5,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            address_change_hours: 24,
            trusted_proxies: Vec::new(),
        }
    }
}
