//! A profile (rule H2): an application and a level, held on a membership,
//! so on its structure or on the services the membership is narrowed to.

use crate::domain::authorisations::Level;
use sea_orm::entity::prelude::*;

/// The stored form of [`Level`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StoredLevel {
    #[sea_orm(string_value = "consultation")]
    Consultation,
    #[sea_orm(string_value = "modification")]
    Modification,
}

impl From<StoredLevel> for Level {
    fn from(level: StoredLevel) -> Level {
        match level {
            StoredLevel::Consultation => Level::Consultation,
            StoredLevel::Modification => Level::Modification,
        }
    }
}

impl From<Level> for StoredLevel {
    fn from(level: Level) -> StoredLevel {
        match level {
            Level::Consultation => StoredLevel::Consultation,
            Level::Modification => StoredLevel::Modification,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub membership_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_code: String,
    pub level: StoredLevel,
    pub granted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::membership::Entity",
        from = "Column::MembershipId",
        to = "super::membership::Column::Id"
    )]
    Membership,
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
