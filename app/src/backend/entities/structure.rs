//! A structure (rule S1): a legal entity, one per identifier.

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum StructureStatus {
    #[sea_orm(string_value = "active")]
    Active,
    /// A public entity's structure, waiting for Support (rule S10).
    #[sea_orm(string_value = "awaiting_support")]
    AwaitingSupport,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "structures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `domain::identifiers::IdentifierType::code`.
    pub identifier_type: String,
    pub identifier: String,
    /// The *raison sociale*.
    pub name: String,
    pub label: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub non_diffusible: bool,
    pub address_complement: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub status: StructureStatus,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    /// `backend::attachments::search_key` of the name: the type-ahead
    /// search of *Demander un rattachement* (rule S5).
    pub name_key: String,
    /// The identifier, upper-case, for the same search.
    pub identifier_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
