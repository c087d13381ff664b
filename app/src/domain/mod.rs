//! Domain rules of the portal, in plain Rust: no Leptos, no database types.
//!
//! This code is compiled twice, into the WASM bundle (so a form can check its
//! input as the user types) and into the server (which checks again before it
//! acts). Writing each rule once here is what keeps the two checks identical.

pub mod account;
pub mod address_change;
pub mod attachments;
pub mod audit;
pub mod authorisations;
pub mod captcha;
pub mod devices;
pub mod factors;
pub mod identifiers;
pub mod login;
pub mod members;
pub mod my_account;
pub mod notifications;
pub mod paging;
pub mod password;
pub mod photo;
pub mod preferences;
pub mod refusal;
pub mod shown_once;
pub mod structures;
pub mod support;
pub mod technical;
pub mod text;
pub mod tickets;
