//! A one-time link token (activation, password reset, reactivation),
//! stored as a hash.

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TokenPurpose {
    /// The link of the activation e-mail (rule A3).
    #[sea_orm(string_value = "activation")]
    Activation,
    /// The link of *Mot de passe oublié ?* (rule L4).
    #[sea_orm(string_value = "reset")]
    Reset,
    /// *Mot de passe oublié ?* asked for a deactivated account (rule P5):
    /// choosing a password through it reactivates the account.
    #[sea_orm(string_value = "reactivation")]
    Reactivation,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub purpose: TokenPurpose,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
