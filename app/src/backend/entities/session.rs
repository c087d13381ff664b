//! A server-side session. The cookie carries a random token; the table keeps
//! only its hash, so a copy of the database does not give live sessions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// Hash of the session token.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The logged-in user, once the login has completed.
    pub user_id: Option<i32>,
    /// Session data (login progress, pending ceremonies) as JSON.
    pub data: String,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    /// Absolute end of the session.
    pub expires_at: DateTimeUtc,
    /// Where the session was opened from, shown in *Mes sessions* (hints,
    /// never checked).
    pub client_address: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
