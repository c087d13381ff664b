//! Server functions of a structure's services (rule S4). Any user attached
//! to the structure sees them; only its managers change them; the backend
//! checks the caller's standing on every call (rule H6).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A service, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLine {
    pub id: i32,
    pub code: String,
    pub label: String,
    pub active: bool,
}

/// The services page of one structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesView {
    pub structure_name: String,
    pub can_manage: bool,
    pub services: Vec<ServiceLine>,
}

#[cfg(feature = "ssr")]
fn denied(denied: crate::backend::structures::services::ServiceDenied) -> AppError {
    use crate::backend::structures::services::ServiceDenied;
    match denied {
        ServiceDenied::NotAllowed => AppError::NotAllowed,
        ServiceDenied::CodeTaken => AppError::ServiceCodeTaken,
        ServiceDenied::NotFound => AppError::NotFound,
        ServiceDenied::Invalid => AppError::ServiceInvalid,
    }
}

#[server(endpoint = "services")]
pub async fn structure_services(structure_id: i32) -> Result<ServicesView, AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::entities::structure;
    use crate::backend::structures::{services, standing};
    use sea_orm::EntityTrait;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let lines = services::list(&state, me.user.id, structure_id).await.map_err(internal)?.map_err(denied)?;
    let can_manage = standing(&state.db, me.user.id, structure_id).await.map_err(internal)?.may_manage();
    let found = structure::Entity::find_by_id(structure_id).one(&state.db).await.map_err(internal)?;
    Ok(ServicesView {
        structure_name: found.map(|s| s.name).unwrap_or_default(),
        can_manage,
        services: lines
            .into_iter()
            .map(|s| ServiceLine { id: s.id, code: s.code, label: s.label, active: s.active })
            .collect(),
    })
}

#[server(endpoint = "service-add")]
pub async fn add_service(structure_id: i32, code: String, label: String) -> Result<(), AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::services;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    services::add(&state, me.user.id, structure_id, &code, &label)
        .await
        .map_err(internal)?
        .map(drop)
        .map_err(denied)
}

#[server(endpoint = "service-active")]
pub async fn set_service_active(structure_id: i32, service_id: i32, active: bool) -> Result<(), AppError> {
    use super::request::{internal, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::services;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    services::set_active(&state, me.user.id, structure_id, service_id, active)
        .await
        .map_err(internal)?
        .map_err(denied)
}
