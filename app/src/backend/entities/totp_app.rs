//! The authenticator app of an account (rule F2): at most one per user.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "totp_apps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub user_id: i32,
    /// The device's name, as the user gave it.
    pub name: String,
    /// The shared secret, base32. Unlike passwords it cannot be a hash: the
    /// server must compute the same codes as the app (see README).
    pub secret: String,
    /// The 30-second step of the last code accepted: a code is accepted
    /// only for a later step (no replay).
    pub last_used_step: Option<i64>,
    pub created_at: DateTimeUtc,
}

// The secret stays out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpApp")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
