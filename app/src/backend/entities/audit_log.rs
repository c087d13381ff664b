//! The audit log (rule R4): one row per state change of security interest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub occurred_at: DateTimeUtc,
    /// The user who acted, if any (a visitor has none).
    pub actor_user_id: Option<i32>,
    /// What happened, as a stable dotted name (`account.created`, …).
    pub event: String,
    /// What it happened to (a user id, a structure identifier, …).
    pub subject: Option<String>,
    /// The user the entry is about, if any (`backend::audit::Subject`).
    pub subject_user_id: Option<i32>,
    /// The structure the entry is about, if any.
    pub structure_id: Option<i32>,
    pub client_ip: Option<String>,
    /// Further details as JSON.
    #[sea_orm(column_type = "Text")]
    pub details: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
