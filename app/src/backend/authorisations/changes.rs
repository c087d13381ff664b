//! A member's profiles, read and changed (rules H4, H5, M3): by a manager
//! of the structure, or by the member (who may only lower their own). Each asked level is
//! judged by `domain::authorisations::judge`; the whole change is one
//! transaction, so one refused line changes nothing, and each profile that
//! changes is audited.
//!
//! Raising one's own profile becomes a request a manager decides (H4,
//! `requests`); the lowerings of the same change apply at once.

use super::requests;
use super::{catalogue, profiles_of, set_level, standing, standing_in};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::{application, application_domain, membership, structure, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::backend::{mails, outbox};
use crate::domain::attachments::Standing;
use crate::domain::authorisations::{self, AskedLevel, Level, ProfileChange};
use crate::domain::preferences::Language;
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// Profiles set or removed.
    pub applied: usize,
    /// Raises of one's own profiles, sent to the managers.
    pub requested: usize,
}

/// Sets `target_id`'s profiles on the structure as `asked` says, if
/// `actor` may; a raise of one's own becomes a request.
pub async fn change_profiles(
    state: &AppState,
    actor: &user::Model,
    structure_id: i32,
    target_id: i32,
    asked: &[AskedLevel],
    client_ip: &str,
) -> Outcome<Changed> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let actor_standing = standing(&txn, actor.id, structure_id).await?;
    if actor_standing == Standing::Stranger {
        return refuse(Refusal::NotFound);
    }
    let Some(target) = membership::Entity::find()
        .filter(membership::Column::UserId.eq(target_id))
        .filter(membership::Column::StructureId.eq(structure_id))
        .one(&txn)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let target_standing = standing_in(&txn, &target).await?;
    let known: Vec<String> = application::Entity::find()
        .select_only()
        .column(application::Column::Code)
        .into_tuple()
        .all(&txn)
        .await?;
    let held = profiles_of(&txn, target.id).await?;
    let on_self = actor.id == target_id;
    let mut changed = Changed {
        applied: 0,
        requested: 0,
    };
    let mut raised = Vec::new();
    for line in asked {
        if !known.contains(&line.application) {
            return refuse(Refusal::NotFound);
        }
        let change = ProfileChange {
            application: &line.application,
            held: held.get(&line.application).copied(),
            asked: line.level,
        };
        let outcome = authorisations::judge(actor_standing, on_self, target_standing, change)?;
        if change.held == change.asked {
            continue;
        }
        if let (authorisations::Outcome::Requested, Some(level)) = (outcome, line.level) {
            requests::ask(&txn, &target, &line.application, level, now).await?;
            let entry = AuditEntry {
                actor_user_id: Some(actor.id),
                event: "profile.requested",
                subject: Subject::Member {
                    user: target_id,
                    structure: structure_id,
                },
                client_ip: Some(client_ip.to_owned()),
                details: serde_json::json!({
                    "structure": structure_id,
                    "application": line.application,
                    "to": line.level,
                }),
            };
            audit::record(&txn, entry, now).await?;
            changed.requested += 1;
            raised.push(line.application.clone());
            continue;
        }
        set_level(&txn, target.id, &line.application, line.level, now).await?;
        let entry = AuditEntry {
            actor_user_id: Some(actor.id),
            event: "profile.changed",
            subject: Subject::Member {
                user: target_id,
                structure: structure_id,
            },
            client_ip: Some(client_ip.to_owned()),
            details: serde_json::json!({
                "structure": structure_id,
                "application": line.application,
                "from": change.held,
                "to": line.level,
            }),
        };
        audit::record(&txn, entry, now).await?;
        changed.applied += 1;
    }
    if !raised.is_empty() {
        tell_managers(state, &txn, structure_id, actor, &raised, now).await?;
    }
    txn.commit().await?;
    Ok(changed)
}

/// E-mails the structure's managers (but the requester) that `requester`
/// asks for `codes`, each in their language, in the change's transaction.
async fn tell_managers(
    state: &AppState,
    txn: &DatabaseTransaction,
    structure_id: i32,
    requester: &user::Model,
    codes: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(target) = structure::Entity::find_by_id(structure_id).one(txn).await? else {
        return Ok(());
    };
    let managers = super::managers_of(txn, structure_id).await?;
    let managers = user::Entity::find()
        .filter(user::Column::Id.is_in(managers))
        .filter(user::Column::Id.ne(requester.id))
        .all(txn)
        .await?;
    let applications = application::Entity::find()
        .filter(application::Column::Code.is_in(codes.iter().cloned()))
        .order_by_asc(application::Column::Position)
        .all(txn)
        .await?;
    let link = state.settings.site.link("/demandes-de-rattachement");
    let requester_name = format!("{} {}", requester.first_name, requester.last_name);
    for manager in &managers {
        let cx = mails::Context::for_user(&state.settings, manager);
        let labels: Vec<&str> = applications
            .iter()
            .map(|a| match cx.language {
                Language::Fr => a.label_fr.as_str(),
                Language::En => a.label_en.as_str(),
            })
            .collect();
        let mail = mails::profile_requested(
            &cx,
            &manager.first_name,
            &requester_name,
            &requester.login_email,
            &target.name,
            &labels.join(", "),
            &link,
        );
        outbox::enqueue(txn, mail, now).await?;
    }
    Ok(())
}

/// A member's level on each application of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberProfiles {
    pub structure: structure::Model,
    pub member: user::Model,
    pub standing: Standing,
    /// In the catalogue's order; `None`: no profile on that application.
    pub lines: Vec<(application_domain::Model, application::Model, Option<Level>)>,
}

/// `target_id`'s profiles on the structure, for a manager of it or for
/// the member themselves.
pub async fn member_profiles<C: ConnectionTrait>(
    conn: &C,
    viewer_id: i32,
    structure_id: i32,
    target_id: i32,
) -> Outcome<MemberProfiles> {
    let viewer = standing(conn, viewer_id, structure_id).await?;
    if viewer == Standing::Stranger {
        return refuse(Refusal::NotFound);
    }
    if viewer_id != target_id && !viewer.may_manage() {
        return refuse(Refusal::NotAllowed);
    }
    let found = membership::Entity::find()
        .filter(membership::Column::UserId.eq(target_id))
        .filter(membership::Column::StructureId.eq(structure_id))
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    let Some((target, Some(member))) = found else {
        return refuse(Refusal::NotFound);
    };
    let Some(structure) = structure::Entity::find_by_id(structure_id)
        .one(conn)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    let standing = standing_in(conn, &target).await?;
    let held = profiles_of(conn, target.id).await?;
    let (domains, applications) = catalogue(conn).await?;
    let lines = applications
        .into_iter()
        .filter_map(|application| {
            let domain = domains
                .iter()
                .find(|d| d.code == application.domain_code)?
                .clone();
            let level = held.get(&application.code).copied();
            Some((domain, application, level))
        })
        .collect();
    Ok(MemberProfiles {
        structure,
        member,
        standing,
        lines,
    })
}
