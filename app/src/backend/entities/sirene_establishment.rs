//! An establishment of INSEE's SIRENE directory (*établissement*, by SIRET).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sirene_establishments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub siret: String,
    pub siren: String,
    pub head_office: bool,
    /// `etatAdministratifEtablissement` = A (F: closed).
    pub active: bool,
    /// `statutDiffusionEtablissement` = O; otherwise the address is not shown.
    pub diffusible: bool,
    /// The establishment's own name (*enseigne*, *dénomination usuelle*).
    pub name: Option<String>,
    pub address_complement: Option<String>,
    /// Number, repetition index, street type and name: `12 B RUE DES LILAS`.
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// `None` in France.
    pub country: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
