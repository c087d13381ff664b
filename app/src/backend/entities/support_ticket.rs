//! A support ticket (rule U1): `domain::tickets` gives its situation and
//! status codes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_tickets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub situation: String,
    pub status: String,
    pub reply_email: String,
    pub login_address: Option<String>,
    pub description: String,
    pub user_id: Option<i32>,
    pub language: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
