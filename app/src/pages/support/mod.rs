//! Support's back office (rule U2): the ticket desk and the audit log. Only Support reaches
//! these pages' data: every server function behind them checks the caller
//! (`api::desk`), and anyone else reads the refusal where the data would be.

pub mod accounts;
pub mod journal;
pub mod reason;
pub mod ticket;
pub mod tickets;
pub mod unblock;
