//! INSEE's SIRENE directory (rule S3): what the portal knows of French
//! companies and establishments, imported from the stock files
//! ([`import`]), and looked up when a structure is created with a SIRET.

pub mod import;
pub mod parse;

pub use import::{ImportError, ImportReport, Progress, import};
pub use parse::{LineProblem, StockFile};

use crate::backend::entities::{sirene_establishment, sirene_unit};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait};

/// An establishment with its legal unit, as the directory knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub establishment: sirene_establishment::Model,
    pub unit: Option<sirene_unit::Model>,
}

impl DirectoryEntry {
    /// Public entities (INSEE legal categories 7xxx) other than the State
    /// (71xx) need Support's approval (rule S10).
    pub fn is_public_entity(&self) -> bool {
        self.unit.as_ref().is_some_and(|u| {
            u.legal_category.starts_with('7') && !u.legal_category.starts_with("71")
        })
    }
}

/// The establishment of `siret` and its unit, if the directory has it.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    siret: &str,
) -> Result<Option<DirectoryEntry>, DbErr> {
    let Some(establishment) = sirene_establishment::Entity::find_by_id(siret.to_owned())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let unit = sirene_unit::Entity::find_by_id(establishment.siren.clone())
        .one(conn)
        .await?;
    Ok(Some(DirectoryEntry {
        establishment,
        unit,
    }))
}

/// Whether the directory holds no establishment (a new installation).
pub async fn is_empty<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    Ok(sirene_establishment::Entity::find().count(conn).await? == 0)
}
