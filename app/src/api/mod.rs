//! Server functions: every one is a public HTTP endpoint. Each checks what
//! the caller may do, parses its input with the domain code, calls the
//! backend, and maps the result to [`crate::error::AppError`].

pub mod account;
pub mod attachments;
pub mod decisions;
pub mod factors;
pub mod login;
pub mod preferences;
pub mod structures;
#[cfg(feature = "ssr")]
pub mod request;
pub mod services;
