//! A service a membership is narrowed to (rule S8). A membership without
//! any of these rows covers the whole structure.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "membership_services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub membership_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
