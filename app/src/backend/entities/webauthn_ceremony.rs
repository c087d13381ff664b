//! A WebAuthn ceremony in progress: its state, bound to the session that
//! began it, used once, before it expires.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webauthn_ceremonies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The hash of the session's id (as in the `sessions` table).
    pub session_id: String,
    pub user_id: i32,
    /// `register` or `login`.
    pub purpose: String,
    /// webauthn-rs's registration or authentication state, JSON.
    pub state: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
