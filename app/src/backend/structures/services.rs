//! A structure's services (rule S4): code, label, active or not, maintained
//! by its managers. Every function takes the acting user and checks their
//! standing on the structure first (rule H6); the input arrives checked by
//! the domain ([`ValidService`]).

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations::{as_manager, denial, standing};
use crate::backend::entities::{service, structure};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::attachments::Standing;
use crate::domain::refusal::Refusal;
use crate::domain::structures::{StructureRefusal, ValidService};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr, TransactionTrait,
};

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
    let txn = state.db.begin().await?;
    let inserted = service::ActiveModel {
        structure_id: Set(structure_id),
        code: Set(new.code.clone()),
        label: Set(new.label.clone()),
        active: Set(true),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(service) => {
            record(
                &txn,
                user_id,
                "service.created",
                &service,
                state.clock.now(),
            )
            .await?;
            txn.commit().await?;
            Ok(service)
        }
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
    let txn = state.db.begin().await?;
    // Only a change is a movement: closing a closed service changes nothing.
    let updated = service::Entity::update_many()
        .col_expr(service::Column::Active, Expr::value(active))
        .filter(service::Column::Id.eq(service_id))
        .filter(service::Column::StructureId.eq(structure_id))
        .filter(service::Column::Active.eq(!active))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 1 {
        let event = if active {
            "service.reopened"
        } else {
            "service.closed"
        };
        if let Some(changed) = service::Entity::find_by_id(service_id).one(&txn).await? {
            record(&txn, user_id, event, &changed, state.clock.now()).await?;
        }
    } else {
        let exists = service::Entity::find_by_id(service_id)
            .filter(service::Column::StructureId.eq(structure_id))
            .one(&txn)
            .await?;
        if exists.is_none() {
            return refuse(Refusal::NotFound);
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The audit entry of a service's change (a movement of the structure's
/// weekly summary, rule P2). The server functions do not pass the client's
/// address down to this module; the actor is recorded.
async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: i32,
    event: &str,
    service: &service::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let entry = AuditEntry {
        actor_user_id: Some(actor),
        event,
        subject: Subject::Structure(service.structure_id),
        client_ip: None,
        details: serde_json::json!({ "service": service.code }),
    };
    audit::record(conn, entry, now).await
}
