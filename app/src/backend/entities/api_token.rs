//! An access token of the API (T4): see the migration
//! `m20261208_000025_api_clients`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    /// SHA-256 of the token, in hex.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    /// The `api_clients` line (its `id`, not its public client id).
    pub client_id: i32,
    pub structure_id: i32,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
