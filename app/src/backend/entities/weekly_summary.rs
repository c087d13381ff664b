//! A weekly summary already dealt with (rule P2): the claim of one
//! recipient's week, written in the transaction that writes the e-mail.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "weekly_summaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// The Monday the week starts on, `YYYY-MM-DD` (UTC).
    #[sea_orm(primary_key, auto_increment = false)]
    pub week: String,
    pub handled_at: DateTimeUtc,
    /// Whether an e-mail was written (nothing moved: none).
    pub sent: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
