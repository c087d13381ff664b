//! A structure's services (rule S4): code, label, active or not, maintained
//! by its managers. Every function takes the acting user and checks their
//! standing on the structure first (rule H6); the input arrives checked by
//! the domain ([`ValidService`]).

use crate::backend::authorisations::{as_manager, denial, standing};
use crate::backend::entities::{service, structure};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::attachments::Standing;
use crate::domain::refusal::Refusal;
use crate::domain::structures::{StructureRefusal, ValidService};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};

/// A structure's services page, as its user may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceList {
    pub structure_name: String,
    /// Whether the user may add and (de)activate services (rule H5).
    pub can_manage: bool,
    /// By code.
    pub services: Vec<service::Model>,
}

/// The services of a structure, by code, for any user attached to it.
pub async fn list(state: &AppState, user_id: i32, structure_id: i32) -> Outcome<ServiceList> {
    let standing = standing(&state.db, user_id, structure_id).await?;
    if standing == Standing::Stranger {
        return refuse(denial(standing));
    }
    let services = service::Entity::find()
        .filter(service::Column::StructureId.eq(structure_id))
        .order_by_asc(service::Column::Code)
        .all(&state.db)
        .await?;
    let found = structure::Entity::find_by_id(structure_id)
        .one(&state.db)
        .await?;
    Ok(ServiceList {
        structure_name: found.map(|s| s.name).unwrap_or_default(),
        can_manage: standing.may_manage(),
        services,
    })
}

/// Adds an active service.
pub async fn add(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    new: &ValidService,
) -> Outcome<service::Model> {
    as_manager(&state.db, user_id, structure_id).await?;
    let inserted = service::ActiveModel {
        structure_id: Set(structure_id),
        code: Set(new.code.clone()),
        label: Set(new.label.clone()),
        active: Set(true),
        ..Default::default()
    }
    .insert(&state.db)
    .await;
    match inserted {
        Ok(service) => Ok(service),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            refuse(StructureRefusal::ServiceCodeTaken)
        }
        Err(e) => Err(e.into()),
    }
}

/// Activates or deactivates a service of the structure.
pub async fn set_active(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    service_id: i32,
    active: bool,
) -> Outcome<()> {
    as_manager(&state.db, user_id, structure_id).await?;
    let updated = service::Entity::update_many()
        .col_expr(service::Column::Active, Expr::value(active))
        .filter(service::Column::Id.eq(service_id))
        .filter(service::Column::StructureId.eq(structure_id))
        .exec(&state.db)
        .await?;
    if updated.rows_affected != 1 {
        return refuse(Refusal::NotFound);
    }
    Ok(())
}
