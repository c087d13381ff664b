//! A structure's technical user (rules T1–T3, issue 17): created, reset,
//! activated and deactivated by the structure's primary manager only, and
//! checked when the API is called with its login and password.
//!
//! The rules are `domain::technical`'s. The password is generated here from
//! a CSPRNG seeded by the operating system, shown once (the [`Issued`] answer)
//! and stored as a SHA-256 (`secrets::hash_secret`). The contact address is
//! the primary manager's, read when the technical user is shown, so it
//! follows a transfer or a change of address without being copied. Every
//! act is audited in the same transaction as the change.
//!
//! Each transaction's first statement is its write, the checks read before
//! it and again after it: on SQLite a transaction that reads first and
//! writes later cannot wait for another writer ("database is locked" at
//! once; see `notifications::summary`), which a request meets whenever
//! another connection has just written.

pub mod clients;
mod password;
pub mod warnings;

pub use password::{Unusable, authenticate, propose, reset_password, submit_proposal};

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations::standing;
use crate::backend::entities::structure;
use crate::backend::entities::technical_user::{self, StoredStatus};
use crate::backend::error::{Outcome, refuse};
use crate::backend::secrets::hash_secret;
use crate::backend::state::AppState;
use crate::backend::structures::members::primary_manager;
use crate::domain::attachments::Standing;
use crate::domain::refusal::Refusal;
use crate::domain::shown_once::ShownOnce;
use crate::domain::technical::{self, TechnicalRefusal, TechnicalStatus};
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
    TransactionTrait,
};

/// A structure's technical user as its page shows it (T1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechnicalUser {
    pub login: String,
    pub status: TechnicalStatus,
    pub password_expires_at: DateTime<Utc>,
    /// The primary manager's contact address (none: the structure has no
    /// primary manager, which a transfer never leaves).
    pub contact: Option<String>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

/// A password just set: shown once, never stored in clear (T3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub login: String,
    pub password: ShownOnce,
    pub expires_at: DateTime<Utc>,
}

/// A structure and its technical user, as *Compte technique* and the
/// structure's page show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub structure_id: i32,
    pub identifier: String,
    pub name: String,
    /// The viewer is the primary manager: the only one who may act (T2).
    pub viewer_primary: bool,
    /// None: not created yet.
    pub user: Option<TechnicalUser>,
}

/// The structure's technical user, for any user attached to it (the
/// structure's page shows it above its users, seed 002); a user who is not
/// attached learns nothing, not even that the structure exists (rule H6).
pub async fn of_structure(state: &AppState, user_id: i32, structure_id: i32) -> Outcome<Overview> {
    let standing = standing(&state.db, user_id, structure_id).await?;
    if standing == Standing::Stranger {
        return refuse(Refusal::NotFound);
    }
    let Some(structure) = structure::Entity::find_by_id(structure_id)
        .one(&state.db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let row = technical_user::Entity::find_by_id(structure_id)
        .one(&state.db)
        .await?;
    let user = match row {
        None => None,
        Some(row) => {
            let contact = primary_manager(&state.db, structure_id)
                .await?
                .map(|manager| manager.contact_email);
            Some(TechnicalUser {
                login: row.login,
                status: row.status.into(),
                password_expires_at: row.password_expires_at,
                contact,
                created_at: row.created_at,
                modified_at: row.modified_at,
            })
        }
    };
    Ok(Overview {
        structure_id,
        identifier: structure.identifier,
        name: structure.name,
        viewer_primary: standing == Standing::PrimaryManager,
        user,
    })
}

/// *Création d'un compte technique* (T1): active, with a new password.
pub async fn create(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    client_ip: &str,
) -> Outcome<Issued> {
    // The checks read outside the transaction, whose first statement is the
    // write (see the module documentation).
    if acting_on(&state.db, user_id, structure_id).await?.is_some() {
        return refuse(TechnicalRefusal::AlreadyCreated);
    }
    let Some(structure) = structure::Entity::find_by_id(structure_id)
        .one(&state.db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let now = state.clock.now();
    let login = technical::login_of(
        &structure.identifier,
        &state.settings.technical.login_domain,
    );
    let issued = issue(state, login, now);
    let txn = state.db.begin().await?;
    let inserted = technical_user::ActiveModel {
        structure_id: Set(structure_id),
        login: Set(issued.login.clone()),
        password_hash: Set(hash_secret(issued.password.expose())),
        status: Set(StoredStatus::Active),
        password_set_at: Set(now),
        password_expires_at: Set(issued.expires_at),
        last_warning_days: Set(None),
        created_at: Set(now),
        modified_at: Set(now),
        proposed_hash: Set(None),
        proposed_at: Set(None),
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        // Created meanwhile by another request of the primary manager's.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return refuse(TechnicalRefusal::AlreadyCreated);
        }
        Err(e) => return Err(e.into()),
    }
    // Still the primary manager once the row is written (a hand-over may
    // have come between): otherwise nothing is kept.
    technical::may_act(standing(&txn, user_id, structure_id).await?)?;
    record(
        &txn,
        user_id,
        structure_id,
        "technical.created",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// *Activer* / *Désactiver un compte technique* (T2). Setting the status it
/// already has changes nothing and is not recorded.
pub async fn set_status(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    status: TechnicalStatus,
    client_ip: &str,
) -> Outcome<()> {
    existing(&state.db, user_id, structure_id).await?;
    let now = state.clock.now();
    let stored: StoredStatus = status.into();
    let txn = state.db.begin().await?;
    let changed = technical_user::Entity::update_many()
        .col_expr(technical_user::Column::Status, Expr::value(stored))
        .col_expr(technical_user::Column::ModifiedAt, Expr::value(now))
        .filter(technical_user::Column::StructureId.eq(structure_id))
        .filter(technical_user::Column::Status.ne(stored))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Ok(());
    }
    technical::may_act(standing(&txn, user_id, structure_id).await?)?;
    let event = match status {
        TechnicalStatus::Active => "technical.activated",
        TechnicalStatus::Inactive => "technical.deactivated",
    };
    record(&txn, user_id, structure_id, event, client_ip, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The structure's technical user, once the caller is known to be its
/// primary manager (T2).
async fn acting_on<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    structure_id: i32,
) -> Outcome<Option<technical_user::Model>> {
    technical::may_act(standing(conn, user_id, structure_id).await?)?;
    Ok(technical_user::Entity::find_by_id(structure_id)
        .one(conn)
        .await?)
}

/// Like [`acting_on`], for the requests that need the technical user to
/// exist already.
pub(super) async fn existing<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    structure_id: i32,
) -> Outcome<technical_user::Model> {
    match acting_on(conn, user_id, structure_id).await? {
        Some(row) => Ok(row),
        None => refuse(TechnicalRefusal::NotCreated),
    }
}

/// A new password for `login`, from the thread's CSPRNG (seeded by the
/// operating system).
pub(super) fn issue(state: &AppState, login: String, now: DateTime<Utc>) -> Issued {
    let mut rng = rand::rng();
    Issued {
        password: ShownOnce::new(technical::generate_password(&mut || rng.random::<u8>())),
        expires_at: technical::expires_at(now, state.settings.technical.password_days),
        login,
    }
}

pub(super) async fn record<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    structure_id: i32,
    event: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit::record(
        conn,
        AuditEntry {
            actor_user_id: Some(user_id),
            event,
            subject: Subject::Structure(structure_id),
            client_ip: Some(client_ip.to_owned()),
            details: serde_json::Value::Null,
        },
        now,
    )
    .await
}
