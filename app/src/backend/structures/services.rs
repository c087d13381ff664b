//! A structure's services (rule S4): code, label, active or not, maintained
//! by its managers. Every function takes the acting user and checks their
//! standing on the structure first (rule H6).

use super::standing;
use crate::backend::entities::service;
use crate::backend::state::AppState;
use crate::domain::account::check_name;
use crate::domain::structures::check_service_code;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};

/// Why a service operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceDenied {
    /// The user does not hold *Organisation modification* on the structure.
    NotAllowed,
    /// The structure already has a service with this code.
    CodeTaken,
    /// No such service in this structure.
    NotFound,
    /// The code or the label is not acceptable.
    Invalid,
}

/// The services of a structure, by code, for any user attached to it.
pub async fn list(state: &AppState, user_id: i32, structure_id: i32) -> Result<Result<Vec<service::Model>, ServiceDenied>, DbErr> {
    if standing(&state.db, user_id, structure_id).await? == crate::domain::attachments::Standing::Stranger {
        return Ok(Err(ServiceDenied::NotAllowed));
    }
    let services = service::Entity::find()
        .filter(service::Column::StructureId.eq(structure_id))
        .order_by_asc(service::Column::Code)
        .all(&state.db)
        .await?;
    Ok(Ok(services))
}

/// Adds an active service.
pub async fn add(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    code: &str,
    label: &str,
) -> Result<Result<service::Model, ServiceDenied>, DbErr> {
    if !standing(&state.db, user_id, structure_id).await?.may_manage() {
        return Ok(Err(ServiceDenied::NotAllowed));
    }
    let (Some(code), Ok(label)) = (check_service_code(code), check_name(label)) else {
        return Ok(Err(ServiceDenied::Invalid));
    };
    let inserted = service::ActiveModel {
        structure_id: Set(structure_id),
        code: Set(code),
        label: Set(label),
        active: Set(true),
        ..Default::default()
    }
    .insert(&state.db)
    .await;
    match inserted {
        Ok(service) => Ok(Ok(service)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(Err(ServiceDenied::CodeTaken)),
        Err(e) => Err(e),
    }
}

/// Activates or deactivates a service of the structure.
pub async fn set_active(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    service_id: i32,
    active: bool,
) -> Result<Result<(), ServiceDenied>, DbErr> {
    if !standing(&state.db, user_id, structure_id).await?.may_manage() {
        return Ok(Err(ServiceDenied::NotAllowed));
    }
    let updated = service::Entity::update_many()
        .col_expr(service::Column::Active, Expr::value(active))
        .filter(service::Column::Id.eq(service_id))
        .filter(service::Column::StructureId.eq(structure_id))
        .exec(&state.db)
        .await?;
    Ok(if updated.rows_affected == 1 { Ok(()) } else { Err(ServiceDenied::NotFound) })
}
