//! Server functions of the structures (rules S1–S3, S10, M1). Each needs a
//! logged-in user; a list shows only the caller's own structures.

use crate::domain::structures::StructureInput;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the directory says of a SIRET, for the creation form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiretDetails {
    pub siret: String,
    pub name: String,
    /// `false`: the *Adresse postale* block is hidden, *Non diffusible* ticked.
    pub diffusible: bool,
    pub address_complement: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// A public entity: Support approves the structure first (rule S10).
    pub needs_support: bool,
}

/// The structure just created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedStructure {
    pub id: i32,
    pub name: String,
    pub awaiting_support: bool,
}

/// One line of *Mes structures*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureRow {
    pub id: i32,
    pub identifier: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub services: u64,
    pub awaiting_support: bool,
    pub primary_manager: bool,
    /// Holds *Organisation modification* (rule H5): may open the
    /// structure's page.
    pub manages: bool,
}

/// A page of *Mes structures*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructuresPage {
    pub rows: Vec<StructureRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[server(endpoint = "siret")]
pub async fn siret_preview(siret: String) -> Result<SiretDetails, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures;
    use crate::domain::identifiers::check_siret;
    use crate::domain::structures::{StructureField, StructureProblem};
    let state = app_state()?;
    logged_in(&state).await?;
    let siret = check_siret(&siret).map_err(|problem| {
        AppError::StructureFields(vec![(
            StructureField::Identifier,
            StructureProblem::Identifier(problem),
        )])
    })?;
    let entry = structures::lookup_siret(&state.db, &siret).await?;
    let needs_support = entry.is_public_entity();
    let e = entry.establishment;
    let name = entry
        .unit
        .map(|u| u.name)
        .filter(|n| !n.is_empty())
        .or(e.name.clone())
        .unwrap_or_default();
    let shown = |value: Option<String>| if e.diffusible { value } else { None };
    Ok(SiretDetails {
        siret,
        name,
        diffusible: e.diffusible,
        address_complement: shown(e.address_complement.clone()),
        street: shown(e.street.clone()),
        postal_code: shown(e.postal_code.clone()),
        city: shown(e.city.clone()),
        country: shown(e.country.clone()),
        needs_support,
    })
}

/// *Soumettre* on *Créer une nouvelle structure*.
#[server(endpoint = "structure-create")]
pub async fn create_structure(input: StructureInput) -> Result<CreatedStructure, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures;
    use crate::domain::structures::validate_structure;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let form = validate_structure(&input).map_err(AppError::StructureFields)?;
    let created = structures::create(&state, &me.user, &form, &client_ip()).await?;
    Ok(CreatedStructure {
        id: created.id,
        awaiting_support: structures::awaits_support(&created),
        name: created.name,
    })
}

/// A page (from 0) of the caller's structures.
#[server(endpoint = "my-structures")]
pub async fn my_structures(page: u64, per_page: u64) -> Result<StructuresPage, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures;
    use crate::domain::attachments::Standing;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(1_000_000);
    let per_page = crate::domain::paging::page_size(per_page);
    let (lines, total) = structures::of_user(&state.db, me.user.id, page, per_page).await?;
    Ok(StructuresPage {
        rows: lines
            .into_iter()
            .map(|line| StructureRow {
                awaiting_support: structures::awaits_support(&line.structure),
                id: line.structure.id,
                identifier: line.structure.identifier,
                name: line.structure.name,
                created_at: line.structure.created_at,
                services: line.services,
                primary_manager: line.standing == Standing::PrimaryManager,
                manages: line.standing.may_manage(),
            })
            .collect(),
        total,
        page,
        per_page,
    })
}
