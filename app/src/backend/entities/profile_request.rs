//! A member's request for a profile (rule H4), decided by a manager of the
//! structure. Its status moves as `domain::attachments::RequestStatus`
//! allows, like an attachment request's.

use super::attachment_request::Status;
use super::profile::StoredLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profile_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub membership_id: i32,
    pub application_code: String,
    /// The level asked for.
    pub level: StoredLevel,
    pub status: Status,
    pub decided_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
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
