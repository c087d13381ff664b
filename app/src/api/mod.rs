//! Server functions: every one is a public HTTP endpoint. Each checks what
//! the caller may do, parses its input with the domain code, calls the
//! backend, and returns; `errors` is the one mapping of the backend's
//! refusals and failures to [`crate::error::AppError`].

pub mod account;
pub mod address;
pub mod approvals;
pub mod attachments;
pub mod audit;
pub mod authorisations;
pub mod desk;
#[cfg(feature = "ssr")]
pub mod errors;
pub mod factors;
pub mod login;
pub mod members;
pub mod my_account;
pub mod my_sessions;
pub mod preferences;
pub mod recovery;
pub mod services;
#[cfg(feature = "ssr")]
pub mod session;
pub mod structures;
pub mod support;
pub mod technical;
pub mod tickets;
