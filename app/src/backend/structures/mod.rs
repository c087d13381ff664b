//! Structures as services (rules S1, S3, S10, M1): creation from the SIRENE
//! directory or a typed identifier, the creator as primary manager, and the
//! user's list. Every query is filtered by the caller's memberships. A
//! refusal is a [`StructureRefusal`] in the [`Outcome`].

pub mod invitations;
pub mod members;
pub mod services;
pub mod support;
pub mod transfer;

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations;
use crate::backend::directory::{self, DirectoryEntry};
use crate::backend::entities::membership;
use crate::backend::entities::profile::StoredLevel;
use crate::backend::entities::structure::{self, StructureStatus};
use crate::backend::entities::{service, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::attachments::Standing;
use crate::domain::authorisations::Origin;
use crate::domain::identifiers::IdentifierType;
use crate::domain::structures::{StructureRefusal, ValidStructure};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, Set, SqlErr,
    TransactionTrait,
};

/// The directory's entry of an active SIRET.
pub async fn lookup_siret<C: ConnectionTrait>(conn: &C, siret: &str) -> Outcome<DirectoryEntry> {
    let Some(entry) = directory::find(conn, siret).await? else {
        return refuse(StructureRefusal::SiretUnknown);
    };
    let unit_active = entry.unit.as_ref().is_none_or(|u| u.active);
    if !entry.establishment.active || !unit_active {
        return refuse(StructureRefusal::SiretClosed);
    }
    Ok(entry)
}

/// *Soumettre*: creates the structure; its creator becomes primary manager.
pub async fn create(
    state: &AppState,
    creator: &user::Model,
    form: &ValidStructure,
    client_ip: &str,
) -> Outcome<structure::Model> {
    let now = state.clock.now();
    let mut row = structure::ActiveModel {
        identifier_type: Set(form.kind.code().to_owned()),
        identifier: Set(form.identifier.clone()),
        name: Set(form.name.clone().unwrap_or_default()),
        label: Set(form.label.clone()),
        email: Set(form.email.clone()),
        phone: Set(form.phone.clone()),
        non_diffusible: Set(false),
        address_complement: Set(None),
        street: Set(None),
        postal_code: Set(None),
        city: Set(None),
        country: Set(None),
        status: Set(StructureStatus::Active),
        created_by: Set(creator.id),
        created_at: Set(now),
        ..Default::default()
    };
    if form.kind == IdentifierType::Siret {
        let entry = lookup_siret(&state.db, &form.identifier).await?;
        fill_from_directory(&mut row, &entry);
    }
    if let sea_orm::ActiveValue::Set(name) = &row.name {
        row.name_key = Set(search_key(name));
    }
    row.identifier_key = Set(search_key(&form.identifier));
    let txn = state.db.begin().await?;
    let created = match row.insert(&txn).await {
        Ok(created) => created,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return refuse(StructureRefusal::AlreadyExists);
        }
        Err(e) => return Err(e.into()),
    };
    authorisations::attach(&txn, created.id, creator.id, Origin::Creator, now).await?;
    record(
        &txn,
        creator.id,
        "structure.created",
        created.id,
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Whether the structure waits for Support before anyone may join it
/// (rule S10).
pub fn awaits_support(structure: &structure::Model) -> bool {
    structure.status == StructureStatus::AwaitingSupport
}

/// The form of a name or identifier that the search of *Demander un
/// rattachement* compares (rule S5): upper-case, accents folded, spaces
/// collapsed, so *Crème* finds *CREME* and the reverse.
pub fn search_key(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_uppercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The directory's mandatory information (rule S3); a non-diffusible
/// establishment's address is not copied.
fn fill_from_directory(row: &mut structure::ActiveModel, entry: &DirectoryEntry) {
    let e = &entry.establishment;
    let name = entry
        .unit
        .as_ref()
        .map(|u| u.name.clone())
        .filter(|n| !n.is_empty());
    row.name = Set(name
        .or_else(|| e.name.clone())
        .unwrap_or_else(|| e.siret.clone()));
    row.non_diffusible = Set(!e.diffusible);
    if e.diffusible {
        row.address_complement = Set(e.address_complement.clone());
        row.street = Set(e.street.clone());
        row.postal_code = Set(e.postal_code.clone());
        row.city = Set(e.city.clone());
        row.country = Set(e.country.clone());
    }
    if entry.is_public_entity() {
        row.status = Set(StructureStatus::AwaitingSupport);
    }
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: i32,
    event: &str,
    structure_id: i32,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let entry = AuditEntry {
        actor_user_id: Some(actor),
        event,
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({}),
    };
    audit::record(conn, entry, now).await
}

/// One line of *Mes structures*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureLine {
    pub structure: structure::Model,
    pub standing: Standing,
    pub services: u64,
}

/// The user's structures, newest attachment first, one page of them, and
/// how many there are in all.
pub async fn of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    page: u64,
    per_page: u64,
) -> Result<(Vec<StructureLine>, u64), DbErr> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .order_by_desc(membership::Column::Id);
    // One query a page, whatever its size: the memberships with their
    // structures, each structure's services counted and the membership's
    // *Organisation* level read by subqueries of the same query; and how
    // many there are, unless a first page that is not full already says it
    // (most users have a few structures). Each query is a round trip to the
    // connection's thread (SQLite) or to the server (PostgreSQL): this page
    // made four before (issue 16).
    let rows = memberships
        .clone()
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .find_also_related(structure::Entity)
        .column_as(services_counted(), "B_services")
        .column_as(
            authorisations::organisation_level_column(),
            "B_organisation",
        )
        .into_model::<membership::Model, ListedStructure>()
        .all(conn)
        .await?;
    let shown = rows.len() as u64;
    let total = if page == 0 && shown < per_page {
        shown
    } else {
        memberships.count(conn).await?
    };
    let lines = rows
        .into_iter()
        .filter_map(|(m, listed)| {
            let listed = listed?;
            Some(StructureLine {
                standing: authorisations::standing_of(&m, listed.organisation.map(Into::into)),
                services: listed.services.unsigned_abs(),
                structure: listed.structure,
            })
        })
        .collect();
    Ok((lines, total))
}

/// A structure as a line of *Mes structures* reads it: with its services
/// counted and the line's membership's *Organisation* level.
struct ListedStructure {
    structure: structure::Model,
    services: i64,
    organisation: Option<StoredLevel>,
}

impl FromQueryResult for ListedStructure {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(ListedStructure {
            structure: structure::Model::from_query_result(row, pre)?,
            services: row.try_get(pre, "services")?,
            organisation: row.try_get(pre, "organisation")?,
        })
    }

    /// No structure joined (NULL id): `None`; any other failure is an
    /// error, where sea-orm's default would quietly drop the line.
    fn from_query_result_optional(row: &QueryResult, pre: &str) -> Result<Option<Self>, DbErr> {
        match row.try_get::<Option<i32>>(pre, "id")? {
            None => Ok(None),
            Some(_) => Self::from_query_result(row, pre).map(Some),
        }
    }
}

/// How many services the structure of the enclosing query's membership row
/// has, as a column of that query.
fn services_counted() -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                .expr(Expr::col((service::Entity, service::Column::Id)).count())
                .from(service::Entity)
                .and_where(
                    Expr::col((service::Entity, service::Column::StructureId))
                        .equals((membership::Entity, membership::Column::StructureId)),
                )
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}
