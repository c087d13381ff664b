//! A legal unit of INSEE's SIRENE directory (*unité légale*, by SIREN).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sirene_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub siren: String,
    /// The *raison sociale*: the company's name, or a person's names.
    pub name: String,
    /// INSEE's *catégorie juridique* (4 digits; 7xxx: public entities).
    pub legal_category: String,
    /// `etatAdministratifUniteLegale` = A.
    pub active: bool,
    /// `statutDiffusionUniteLegale` = O.
    pub diffusible: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
