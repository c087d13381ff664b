//! The attachment pages (rules S5–S8, S10): asking to join a structure, the
//! requester's history and attachments, the managers' decisions, and
//! Support's approvals.

pub mod approvals;
pub mod history;
pub mod mine;
pub mod request;
pub mod support;
