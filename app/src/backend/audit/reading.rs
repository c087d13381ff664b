//! Support reads the audit log (rule U2): a page of entries, newest first,
//! filtered by user, structure, event and period, and the names behind the
//! ids (login addresses, structures' identifiers) for the page.
//!
//! A page starts where the previous one ended (`domain::audit`), and every
//! filter has an index ending in the page's order, so a page costs about
//! its own rows whatever the log's size (`benches/audit_log.rs`).

use crate::backend::entities::{audit_log, structure, user};
use crate::backend::error::Outcome;
use crate::backend::state::AppState;
use crate::backend::support::Agent;
use crate::domain::audit::{AuditCursor, AuditQuery};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::HashMap;

/// An entry, with the login addresses and structure it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub entry: audit_log::Model,
    /// The actor's login address (`None`: a visitor, or a deleted account).
    pub actor: Option<String>,
    /// The login address of the user the entry is about.
    pub user: Option<String>,
    /// The identifier and name of the structure it is about.
    pub structure: Option<(String, String)>,
}

/// A page of the log, and where the next (older) one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    pub next: Option<AuditCursor>,
}

/// The filters as queries, newest first: none when a named user or
/// structure does not exist (no entry can match), else one, or two for a
/// user (what they did, and what was done to them), each read along its
/// own index and merged by [`page`]. One query with `actor OR subject`
/// leaves the planner to choose, and both databases chose badly on a
/// million entries (`benches/audit_log.rs`): a scan of the time index.
async fn filtered<C: ConnectionTrait>(
    conn: &C,
    query: &AuditQuery,
) -> Result<Vec<Select<audit_log::Entity>>, DbErr> {
    let mut common = Condition::all();
    if let Some(identifier) = &query.structure {
        let ids: Vec<i32> = structure::Entity::find()
            .select_only()
            .column(structure::Column::Id)
            .filter(structure::Column::Identifier.eq(identifier.as_str()))
            .into_tuple()
            .all(conn)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        common = common.add(audit_log::Column::StructureId.is_in(ids));
    }
    if let Some(event) = &query.event {
        common = common.add(if query.user.is_some() || query.structure.is_some() {
            // The user's or the structure's index is the narrow one; an
            // event compared as an expression keeps the planner off the
            // event's index (a frequent event would be read for a few rows).
            Expr::expr(Expr::cust(r#""audit_log"."event" || ''"#)).eq(event.as_str())
        } else {
            audit_log::Column::Event.eq(event.as_str())
        });
    }
    if let Some(since) = query.since {
        common = common.add(audit_log::Column::OccurredAt.gte(since));
    }
    if let Some(until) = query.until {
        common = common.add(audit_log::Column::OccurredAt.lt(until));
    }
    if let Some(before) = query.before {
        common = common.add(
            Condition::any()
                .add(audit_log::Column::OccurredAt.lt(before.occurred_at))
                .add(
                    Condition::all()
                        .add(audit_log::Column::OccurredAt.eq(before.occurred_at))
                        .add(audit_log::Column::Id.lt(before.id)),
                ),
        );
    }
    let branches = match &query.user {
        None => vec![Condition::all()],
        Some(address) => {
            let Some(found) = user::Entity::find()
                .filter(user::Column::LoginEmail.eq(address.as_str()))
                .one(conn)
                .await?
            else {
                return Ok(Vec::new());
            };
            vec![
                Condition::all().add(audit_log::Column::ActorUserId.eq(found.id)),
                Condition::all().add(audit_log::Column::SubjectUserId.eq(found.id)),
            ]
        }
    };
    Ok(branches
        .into_iter()
        .map(|branch| {
            audit_log::Entity::find()
                .filter(branch)
                .filter(common.clone())
                .order_by_desc(audit_log::Column::OccurredAt)
                .order_by_desc(audit_log::Column::Id)
        })
        .collect())
}

/// Up to `limit` entries matching `query`, newest first.
pub async fn page(
    state: &AppState,
    _agent: &Agent,
    query: &AuditQuery,
    limit: u64,
) -> Outcome<AuditPage> {
    let mut entries = Vec::new();
    for select in filtered(&state.db, query).await? {
        entries.extend(select.limit(limit + 1).all(&state.db).await?);
    }
    // Two branches: newest first again, and an entry by the user about
    // themselves once.
    entries.sort_by_key(|entry| std::cmp::Reverse((entry.occurred_at, entry.id)));
    entries.dedup_by_key(|entry| entry.id);
    let next = if entries.len() as u64 > limit {
        entries.truncate(limit as usize);
        entries.last().map(|last| AuditCursor {
            occurred_at: last.occurred_at,
            id: last.id,
        })
    } else {
        None
    };
    let lines = named(&state.db, entries).await?;
    Ok(AuditPage { lines, next })
}

/// The entries with the addresses and structures their ids name, in two
/// queries.
async fn named<C: ConnectionTrait>(
    conn: &C,
    entries: Vec<audit_log::Model>,
) -> Result<Vec<AuditLine>, DbErr> {
    let user_ids: Vec<i32> = entries
        .iter()
        .flat_map(|e| [e.actor_user_id, e.subject_user_id])
        .flatten()
        .collect();
    let addresses: HashMap<i32, String> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::LoginEmail)
        .filter(user::Column::Id.is_in(user_ids))
        .into_tuple::<(i32, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let structure_ids: Vec<i32> = entries.iter().filter_map(|e| e.structure_id).collect();
    let structures: HashMap<i32, (String, String)> = structure::Entity::find()
        .select_only()
        .column(structure::Column::Id)
        .column(structure::Column::Identifier)
        .column(structure::Column::Name)
        .filter(structure::Column::Id.is_in(structure_ids))
        .into_tuple::<(i32, String, String)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, identifier, name)| (id, (identifier, name)))
        .collect();
    let address = |id: Option<i32>| id.and_then(|id| addresses.get(&id).cloned());
    Ok(entries
        .into_iter()
        .map(|entry| AuditLine {
            actor: address(entry.actor_user_id),
            user: address(entry.subject_user_id),
            structure: entry
                .structure_id
                .and_then(|id| structures.get(&id).cloned()),
            entry,
        })
        .collect())
}
