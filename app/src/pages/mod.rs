//! One module per page, grouped by feature area.

pub mod account;
pub mod attachments;
pub mod authorisations;
pub mod contact;
pub mod factors;
pub mod home;
pub mod not_found;
pub mod structures;
pub mod support;
pub mod technical;
