//! Profiles in the database (rules H1–H3, H5): the catalogue, the default
//! profiles of a new membership, and **the one place** where a user's
//! standing on a structure is read. Every check of the structure,
//! service and attachment code asks [`standing`], [`standing_in`], [`standings`],
//! [`managed_structures`] or [`managers_of`]; none reads a role or a
//! profile itself.
//!
//! A manager is a member whose membership holds *Organisation
//! modification*, or the primary manager (the membership's role), who
//! always does (`domain::authorisations::judge`). The rules themselves
//! (defaults, who may change what) are in `domain::authorisations`.

use crate::backend::entities::membership::{self, Role};
use crate::backend::entities::profile::{self, StoredLevel};
use crate::backend::entities::{application, application_domain};
use crate::backend::error::{Outcome, refuse};
use crate::domain::attachments::Standing;
use crate::domain::authorisations::{self, Level, ORGANISATION, Origin};
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

mod changes;
pub mod requests;
pub use changes::{Changed, MemberProfiles, change_profiles, member_profiles};

/// The catalogue (rule H1): the domains, and the applications, each in
/// display order.
pub async fn catalogue<C: ConnectionTrait>(
    conn: &C,
) -> Result<(Vec<application_domain::Model>, Vec<application::Model>), DbErr> {
    let domains = application_domain::Entity::find()
        .order_by_asc(application_domain::Column::Position)
        .all(conn)
        .await?;
    let applications = application::Entity::find()
        .order_by_asc(application::Column::Position)
        .all(conn)
        .await?;
    Ok((domains, applications))
}

/// Attaches a user to a structure with the default profiles (rule H3):
/// as its primary manager when they created it. Run it in the caller's
/// transaction.
pub async fn attach<C: ConnectionTrait>(
    conn: &C,
    structure_id: i32,
    user_id: i32,
    origin: Origin,
    now: DateTime<Utc>,
) -> Result<membership::Model, DbErr> {
    let created = membership::ActiveModel {
        structure_id: Set(structure_id),
        user_id: Set(user_id),
        role: Set(match origin {
            Origin::Creator => Role::PrimaryManager,
            Origin::Attached => Role::Member,
        }),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let codes: Vec<String> = application::Entity::find()
        .select_only()
        .column(application::Column::Code)
        .into_tuple()
        .all(conn)
        .await?;
    let rows = codes.into_iter().map(|code| profile::ActiveModel {
        membership_id: Set(created.id),
        level: Set(authorisations::default_level(&code, origin).into()),
        application_code: Set(code),
        granted_at: Set(now),
    });
    profile::Entity::insert_many(rows)
        .on_empty_do_nothing()
        .exec(conn)
        .await?;
    Ok(created)
}

/// Sets a membership's level on one application (`None`: removes the
/// profile). The caller has checked the change with
/// `domain::authorisations::judge`; run it in the caller's transaction. An
/// upsert, so two managers setting the same profile at once both succeed
/// (the later wins) rather than one failing on the primary key.
pub async fn set_level<C: ConnectionTrait>(
    conn: &C,
    membership_id: i32,
    application_code: &str,
    level: Option<Level>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(level) = level else {
        profile::Entity::delete_many()
            .filter(profile::Column::MembershipId.eq(membership_id))
            .filter(profile::Column::ApplicationCode.eq(application_code))
            .exec(conn)
            .await?;
        return Ok(());
    };
    let row = profile::ActiveModel {
        membership_id: Set(membership_id),
        application_code: Set(application_code.to_owned()),
        level: Set(level.into()),
        granted_at: Set(now),
    };
    profile::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                profile::Column::MembershipId,
                profile::Column::ApplicationCode,
            ])
            .update_columns([profile::Column::Level, profile::Column::GrantedAt])
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// A profile with its place in the catalogue, as *Mes habilitations*
/// shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldProfile {
    pub domain: application_domain::Model,
    pub application: application::Model,
    pub level: Level,
}

/// The profiles of these memberships, by membership id, each in the
/// catalogue's order: three queries whatever the number of memberships.
pub async fn held_by<C: ConnectionTrait>(
    conn: &C,
    membership_ids: Vec<i32>,
) -> Result<HashMap<i32, Vec<HeldProfile>>, DbErr> {
    let (domains, applications) = catalogue(conn).await?;
    let domains: HashMap<&str, &application_domain::Model> =
        domains.iter().map(|d| (d.code.as_str(), d)).collect();
    let mut levels: HashMap<(i32, String), Level> = profile::Entity::find()
        .filter(profile::Column::MembershipId.is_in(membership_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| ((p.membership_id, p.application_code), p.level.into()))
        .collect();
    let mut held = HashMap::new();
    for id in membership_ids {
        let mut lines = Vec::new();
        for application in &applications {
            let level = levels.remove(&(id, application.code.clone()));
            let domain = domains.get(application.domain_code.as_str());
            if let (Some(level), Some(domain)) = (level, domain) {
                lines.push(HeldProfile {
                    domain: (*domain).clone(),
                    application: application.clone(),
                    level,
                });
            }
        }
        held.insert(id, lines);
    }
    Ok(held)
}

/// A membership's profiles, by application code.
pub async fn profiles_of<C: ConnectionTrait>(
    conn: &C,
    membership_id: i32,
) -> Result<HashMap<String, Level>, DbErr> {
    Ok(profile::Entity::find()
        .filter(profile::Column::MembershipId.eq(membership_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.application_code, p.level.into()))
        .collect())
}

/// The user's standing on a structure (rule H5).
pub async fn standing<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    structure_id: i32,
) -> Result<Standing, DbErr> {
    let found = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::StructureId.eq(structure_id))
        .one(conn)
        .await?;
    match found {
        Some(m) => standing_in(conn, &m).await,
        None => Ok(Standing::Stranger),
    }
}

/// The standing a membership gives on its structure.
pub async fn standing_in<C: ConnectionTrait>(
    conn: &C,
    membership: &membership::Model,
) -> Result<Standing, DbErr> {
    let standings = standings(conn, std::slice::from_ref(membership)).await?;
    Ok(standings
        .get(&membership.id)
        .copied()
        .unwrap_or(Standing::Member))
}

/// The user's standing on a structure they must manage: a stranger is
/// told nothing of the structure, a member is refused (rule H6).
pub async fn as_manager<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    structure_id: i32,
) -> Outcome<Standing> {
    let found = standing(conn, user_id, structure_id).await?;
    if found.may_manage() {
        Ok(found)
    } else {
        refuse(denial(found))
    }
}

/// How a caller of `standing` is refused what they may not do on a
/// structure: one who is not attached to it (or whose access is suspended)
/// learns nothing of it, not even that it exists; a member is told no
/// (rule H6).
pub fn denial(standing: Standing) -> Refusal {
    if standing == Standing::Stranger {
        Refusal::NotFound
    } else {
        Refusal::NotAllowed
    }
}

/// The standing each of these memberships gives, by membership id, in one
/// query.
pub async fn standings<C: ConnectionTrait>(
    conn: &C,
    memberships: &[membership::Model],
) -> Result<HashMap<i32, Standing>, DbErr> {
    let organisation: HashMap<i32, Level> = profile::Entity::find()
        .filter(
            profile::Column::MembershipId
                .is_in(memberships.iter().map(|m| m.id).collect::<Vec<_>>()),
        )
        .filter(profile::Column::ApplicationCode.eq(ORGANISATION))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.membership_id, p.level.into()))
        .collect();
    Ok(memberships
        .iter()
        .map(|m| (m.id, standing_of(m, organisation.get(&m.id).copied())))
        .collect())
}

/// The standing `membership` gives, holding `organisation` on *Organisation*
/// (none: not held).
pub fn standing_of(membership: &membership::Model, organisation: Option<Level>) -> Standing {
    // A suspended access gives no standing (rule M2).
    if membership.deactivated_at.is_some() {
        Standing::Stranger
    } else {
        authorisations::standing(membership.role == Role::PrimaryManager, organisation)
    }
}

/// The level the membership row of the enclosing query holds on
/// *Organisation* (NULL: none), as a column of that query: a list reads it
/// with its rows instead of asking [`standings`] afterwards. One row at most:
/// a membership holds an application once (the profiles' unique key).
pub fn organisation_level_column() -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column((profile::Entity, profile::Column::Level))
                .from(profile::Entity)
                .and_where(
                    Expr::col((profile::Entity, profile::Column::MembershipId))
                        .equals((membership::Entity, membership::Column::Id)),
                )
                .and_where(
                    Expr::col((profile::Entity, profile::Column::ApplicationCode)).eq(ORGANISATION),
                )
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

/// The memberships that manage their structure: the primary manager's and
/// those holding *Organisation modification*, unless suspended.
fn managing() -> Condition {
    Condition::all()
        .add(membership::Column::DeactivatedAt.is_null())
        .add(
            Condition::any()
                .add(membership::Column::Role.eq(Role::PrimaryManager))
                .add(membership::Column::Id.in_subquery(organisation_modification())),
        )
}

fn organisation_modification() -> SelectStatement {
    Query::select()
        .column(profile::Column::MembershipId)
        .from(profile::Entity)
        .and_where(profile::Column::ApplicationCode.eq(ORGANISATION))
        .and_where(profile::Column::Level.eq(StoredLevel::Modification))
        .to_owned()
}

/// The structures the user manages.
pub async fn managed_structures<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Vec<i32>, DbErr> {
    membership::Entity::find()
        .select_only()
        .column(membership::Column::StructureId)
        .filter(membership::Column::UserId.eq(user_id))
        .filter(managing())
        .into_tuple::<i32>()
        .all(conn)
        .await
}

/// The users who manage the structure.
pub async fn managers_of<C: ConnectionTrait>(
    conn: &C,
    structure_id: i32,
) -> Result<Vec<i32>, DbErr> {
    membership::Entity::find()
        .select_only()
        .column(membership::Column::UserId)
        .filter(membership::Column::StructureId.eq(structure_id))
        .filter(managing())
        .into_tuple::<i32>()
        .all(conn)
        .await
}
