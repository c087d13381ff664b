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

#[server(endpoint = "services")]
pub async fn structure_services(structure_id: i32) -> Result<ServicesView, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures::services;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let list = services::list(&state, me.user.id, structure_id).await?;
    Ok(ServicesView {
        structure_name: list.structure_name,
        can_manage: list.can_manage,
        services: list
            .services
            .into_iter()
            .map(|s| ServiceLine {
                id: s.id,
                code: s.code,
                label: s.label,
                active: s.active,
            })
            .collect(),
    })
}

#[server(endpoint = "service-add")]
pub async fn add_service(structure_id: i32, code: String, label: String) -> Result<(), AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures::services;
    use crate::domain::refusal::Refusal;
    use crate::domain::structures::check_service;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let new = check_service(&code, &label).map_err(Refusal::from)?;
    services::add(&state, me.user.id, structure_id, &new).await?;
    Ok(())
}

#[server(endpoint = "service-active")]
pub async fn set_service_active(
    structure_id: i32,
    service_id: i32,
    active: bool,
) -> Result<(), AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures::services;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(services::set_active(&state, me.user.id, structure_id, service_id, active).await?)
}
