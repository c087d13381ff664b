//! A user attached to a structure (rule S9): the primary manager or a
//! member. Whether a member manages the structure is their profiles'
//! business (`backend::authorisations`, rule H5).

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum Role {
    /// *Gestionnaire principal*: exactly one per structure.
    #[sea_orm(string_value = "primary_manager")]
    PrimaryManager,
    #[sea_orm(string_value = "member")]
    Member,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub structure_id: i32,
    pub user_id: i32,
    pub role: Role,
    pub created_at: DateTimeUtc,
    /// Set while a manager has suspended this access (rule M2): the
    /// membership then gives no standing.
    pub deactivated_at: Option<DateTimeUtc>,
    /// The last *Réactiver*.
    pub reactivated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::structure::Entity",
        from = "Column::StructureId",
        to = "super::structure::Column::Id"
    )]
    Structure,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::structure::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Structure.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
