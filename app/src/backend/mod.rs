//! Server-only code: state, persistence (entities, migrations, services),
//! the mail outbox, the audit log and the purge of expired rows. Compiled
//! only with the `ssr` feature, so none of it (sea-orm, SQL drivers) reaches
//! the WASM bundle.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod authorisations;
pub mod captcha;
pub mod client;
pub mod clock;
pub mod cpro;
pub mod db;
pub mod directory;
pub mod entities;
pub mod error;
pub mod factors;
pub mod guard;
pub mod hashing;
pub mod links;
pub mod mails;
pub mod migration;
pub mod notifications;
pub mod outbox;
pub mod purge;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod state;
pub mod structures;
pub mod support;
pub mod technical;
pub mod telemetry;
pub mod throttle;
pub mod tickets;

pub use error::{BackendError, Outcome, refuse};
pub use state::{AppState, app_state};
