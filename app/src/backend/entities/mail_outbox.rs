//! The transactional e-mail outbox (rule R1): a message is inserted in the
//! same transaction as the change that causes it, and a worker delivers it.
//! Once sent or rejected, its bodies are scrubbed and the row is kept for
//! the audit trail until its retention ends (see `backend::outbox`).

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum OutboxStatus {
    /// Waiting for (another) delivery attempt.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Can never be delivered (e.g. an address the mail library refuses).
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub recipient: String,
    pub subject: String,
    /// `outbox::REDACTED` once the message is sent or rejected (the bodies
    /// hold links and codes).
    #[sea_orm(column_type = "Text")]
    pub text_body: String,
    #[sea_orm(column_type = "Text")]
    pub html_body: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    /// Not to be tried before this time (back-off after a failure); for a
    /// rejected message, when it was given up.
    pub next_attempt_at: DateTimeUtc,
    /// A worker holds the message until this time; another worker (another
    /// server instance) skips it meanwhile.
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
