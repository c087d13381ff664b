//! *Utilisateurs rattachés à la structure* (rule M2): a structure's users as
//! its managers see them, a page at a time, sorted and filtered by the
//! database (a structure may have thousands of users). Only its managers
//! see them ([`for_manager`]); a member is refused, a stranger learns
//! nothing of the structure (rule H6). Managers also suspend, restore or
//! remove the ticked users' access ([`act`]), never the primary manager's.

use super::search_key;
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations;
use crate::backend::entities::membership::{self, Role};
use crate::backend::entities::{membership_service, structure, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::attachments::Standing;
use crate::domain::members::{
    MAX_SELECTED, MemberAction, MemberActionRefusal, MemberQuery, MemberSort, may_act,
};
use crate::domain::refusal::Refusal;
use sea_orm::sea_query::{LikeExpr, NullOrdering, Order};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    ModelTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    pub user: user::Model,
    pub membership: membership::Model,
    pub standing: Standing,
    /// Attached to some services only, not the whole structure.
    pub narrowed: bool,
}

/// A `LIKE` pattern finding `filter` anywhere in a user's search key
/// (upper-case, accent-free), its `%`, `_` and `\` taken literally (the
/// query says `ESCAPE '\'`).
pub fn contains_pattern(filter: &str) -> String {
    crate::backend::db::contains_literal(&search_key(filter))
}

/// The key a user is found by: names and login address, folded. Written
/// whenever one of them is.
pub fn user_search_key(last_name: &str, first_name: &str, login_email: &str) -> String {
    search_key(&format!("{last_name} {first_name} {login_email}"))
}

/// A page of the structure's users and how many match, in four queries:
/// the page (memberships with their users), the count, the standings, the
/// service-level attachments among them.
pub async fn members<C: ConnectionTrait>(
    conn: &C,
    structure_id: i32,
    query: &MemberQuery,
    page: u64,
    per_page: u64,
) -> Result<(Vec<MemberLine>, u64), DbErr> {
    let mut select = membership::Entity::find()
        .filter(membership::Column::StructureId.eq(structure_id))
        .find_also_related(user::Entity);
    if !query.filter.is_empty() {
        let pattern = LikeExpr::new(contains_pattern(&query.filter)).escape('\\');
        select = select.filter(user::Column::SearchKey.like(pattern));
    }
    let order = if query.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    select = match query.sort {
        MemberSort::LastName => select
            .order_by(user::Column::LastName, order.clone())
            .order_by(user::Column::FirstName, order),
        MemberSort::FirstName => select
            .order_by(user::Column::FirstName, order.clone())
            .order_by(user::Column::LastName, order),
        MemberSort::LoginEmail => select.order_by(user::Column::LoginEmail, order),
        // Never logged in counts as the earliest (SQLite and PostgreSQL
        // put NULLs at opposite ends unless told).
        MemberSort::LastLogin => {
            let nulls = if query.descending {
                NullOrdering::Last
            } else {
                NullOrdering::First
            };
            select.order_by_with_nulls(user::Column::LastLoginAt, order, nulls)
        }
    };
    let select = select.order_by_asc(user::Column::Id);
    let total = select.clone().count(conn).await?;
    let rows = select
        .offset(page.saturating_mul(per_page))
        .limit(per_page)
        .all(conn)
        .await?;
    let memberships: Vec<membership::Model> = rows.iter().map(|(m, _)| m.clone()).collect();
    let standings = authorisations::standings(conn, &memberships).await?;
    let narrowed: Vec<i32> = membership_service::Entity::find()
        .select_only()
        .column(membership_service::Column::MembershipId)
        .filter(
            membership_service::Column::MembershipId
                .is_in(memberships.iter().map(|m| m.id).collect::<Vec<_>>()),
        )
        .into_tuple()
        .all(conn)
        .await?;
    let lines = rows
        .into_iter()
        .filter_map(|(membership, user)| {
            let standing = standings
                .get(&membership.id)
                .copied()
                .unwrap_or(Standing::Member);
            Some(MemberLine {
                user: user?,
                narrowed: narrowed.contains(&membership.id),
                membership,
                standing,
            })
        })
        .collect();
    Ok((lines, total))
}

/// What a manager's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembersView {
    /// The viewer's own standing.
    pub viewer: Standing,
    pub structure: structure::Model,
    pub primary_manager: Option<user::Model>,
    pub lines: Vec<MemberLine>,
    pub total: u64,
}

/// The page of *Utilisateurs rattachés à la structure* that `viewer_id`
/// asks for, if they manage the structure.
pub async fn for_manager<C: ConnectionTrait>(
    conn: &C,
    viewer_id: i32,
    structure_id: i32,
    query: &MemberQuery,
    page: u64,
    per_page: u64,
) -> Outcome<MembersView> {
    let viewer = authorisations::as_manager(conn, viewer_id, structure_id).await?;
    let Some(structure) = structure::Entity::find_by_id(structure_id)
        .one(conn)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let (lines, total) = members(conn, structure_id, query, page, per_page).await?;
    let primary_manager = primary_manager(conn, structure_id).await?;
    Ok(MembersView {
        viewer,
        structure,
        primary_manager,
        lines,
        total,
    })
}

/// The structure's primary manager.
pub async fn primary_manager<C: ConnectionTrait>(
    conn: &C,
    structure_id: i32,
) -> Result<Option<user::Model>, DbErr> {
    let found = membership::Entity::find()
        .filter(membership::Column::StructureId.eq(structure_id))
        .filter(membership::Column::Role.eq(Role::PrimaryManager))
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    Ok(found.and_then(|(_, user)| user))
}

/// *Désactiver*, *Réactiver* or *Supprimer* the ticked users (rule M2), by
/// a manager of the structure; all or nothing. Answers how many changed
/// (a user already in the asked state is not counted).
pub async fn act(
    state: &AppState,
    actor: &user::Model,
    structure_id: i32,
    user_ids: &[i32],
    action: MemberAction,
    client_ip: &str,
) -> Outcome<usize> {
    if user_ids.is_empty() || user_ids.len() > MAX_SELECTED {
        return refuse(MemberActionRefusal::Selection);
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let actor_standing = authorisations::as_manager(&txn, actor.id, structure_id).await?;
    let targets = membership::Entity::find()
        .filter(membership::Column::StructureId.eq(structure_id))
        .filter(membership::Column::UserId.is_in(user_ids.to_vec()))
        .all(&txn)
        .await?;
    let mut wanted = user_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if targets.len() != wanted.len() {
        return refuse(Refusal::NotFound);
    }
    let mut changed = 0;
    for target in targets {
        may_act(
            actor_standing,
            target.user_id == actor.id,
            target.role == Role::PrimaryManager,
        )?;
        let (event, done) = match action {
            MemberAction::Deactivate if target.deactivated_at.is_none() => {
                let mut row = target.clone().into_active_model();
                row.deactivated_at = Set(Some(now));
                row.update(&txn).await?;
                ("member.deactivated", true)
            }
            MemberAction::Reactivate if target.deactivated_at.is_some() => {
                let mut row = target.clone().into_active_model();
                row.deactivated_at = Set(None);
                row.reactivated_at = Set(Some(now));
                row.update(&txn).await?;
                ("member.reactivated", true)
            }
            MemberAction::Delete => {
                target.clone().delete(&txn).await?;
                ("member.deleted", true)
            }
            _ => ("", false),
        };
        if !done {
            continue;
        }
        let entry = AuditEntry {
            actor_user_id: Some(actor.id),
            event,
            subject: Subject::Member {
                user: target.user_id,
                structure: structure_id,
            },
            client_ip: Some(client_ip.to_owned()),
            details: serde_json::json!({ "structure": structure_id }),
        };
        audit::record(&txn, entry, now).await?;
        changed += 1;
    }
    txn.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_is_folded_and_its_wildcards_literal() {
        assert_eq!(contains_pattern("élodie"), "%ELODIE%");
        assert_eq!(contains_pattern(" 50%_a\\b "), "%50\\%\\_A\\\\B%");
        assert_eq!(
            user_search_key("Curie", "Marie", "marie@example.fr"),
            "CURIE MARIE MARIE@EXAMPLE.FR"
        );
    }
}
