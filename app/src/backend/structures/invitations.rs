//! *Rattacher un utilisateur* (rule M2): a manager names a login address.
//! An address with an account is attached at once, with the default
//! profiles (rule H3), and told by e-mail. An address without one is sent
//! an invitation to create an account; the account is attached when it is
//! activated ([`accept`], called when a password is first chosen through a
//! link, which proves the address).
//!
//! Adding tells the manager whether the address has an account, and sends
//! mail to addresses the portal does not know: a manager's additions are
//! counted ([`ADDITIONS_PER_DAY`], in the shared throttle table, so every
//! server instance counts together), and an open invitation is not sent
//! twice. Two managers adding the same user at once: the unique index on
//! memberships (or invitations) lets one in; the other is told the user is
//! already attached (or invited).

use crate::backend::accounts::find_by_login;
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::authorisations::{self, as_manager};
use crate::backend::entities::{invitation, membership, structure, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::backend::throttle::{self, Limit, Try};
use crate::backend::{mails, outbox};
use crate::domain::authorisations::Origin;
use crate::domain::members::{ADDITIONS_PER_DAY, Added, INVITATION_DAYS, MemberActionRefusal};
use crate::domain::preferences::Language;
use crate::domain::refusal::Refusal;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Set, SqlErr, TransactionTrait,
};

fn additions_limit() -> Limit {
    Limit {
        max: ADDITIONS_PER_DAY,
        window: Duration::days(1),
        lock: Duration::days(1),
    }
}

/// Attaches the account of `login_email` (checked and normalised by the
/// caller) to the structure, or invites the address. `language` is the
/// manager's page language, used for an invitation (the address has no
/// account to say its own).
pub async fn add_user(
    state: &AppState,
    actor: &user::Model,
    structure_id: i32,
    login_email: &str,
    language: Language,
    client_ip: &str,
) -> Outcome<Added> {
    let db = &state.db;
    as_manager(db, actor.id, structure_id).await?;
    let Some(target) = structure::Entity::find_by_id(structure_id).one(db).await? else {
        return refuse(Refusal::NotFound);
    };
    let now = state.clock.now();
    // Counted outside the transaction: a refused addition still counts.
    let key = format!("add-user:{}", actor.id);
    if let Try::Locked { .. } = throttle::reserve(db, &key, additions_limit(), now).await? {
        return refuse(MemberActionRefusal::TooManyAdditions);
    }
    let txn = db.begin().await?;
    let added = match find_by_login(&txn, login_email).await? {
        Some(user) => attach_account(state, &txn, actor, &target, &user, now).await?,
        None => invite(state, &txn, actor, &target, login_email, language, now).await?,
    };
    let (event, details) = match added {
        Added::Attached => (
            "membership.added",
            serde_json::json!({ "email": login_email }),
        ),
        Added::Invited => (
            "invitation.sent",
            serde_json::json!({ "email": login_email }),
        ),
    };
    let entry = AuditEntry {
        actor_user_id: Some(actor.id),
        event,
        subject: Subject::Structure(structure_id),
        client_ip: Some(client_ip.to_owned()),
        details,
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(added)
}

fn full_name(user: &user::Model) -> String {
    format!("{} {}", user.first_name, user.last_name)
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

async fn attach_account(
    state: &AppState,
    txn: &DatabaseTransaction,
    actor: &user::Model,
    target: &structure::Model,
    user: &user::Model,
    now: DateTime<Utc>,
) -> Outcome<Added> {
    let attached = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .filter(membership::Column::StructureId.eq(target.id))
        .count(txn)
        .await?;
    if attached > 0 {
        return refuse(MemberActionRefusal::AlreadyAttached);
    }
    match authorisations::attach(txn, target.id, user.id, Origin::Attached, now).await {
        Ok(_) => {}
        Err(error) if is_unique_violation(&error) => {
            return refuse(MemberActionRefusal::AlreadyAttached);
        }
        Err(error) => return Err(error.into()),
    }
    let link = state.settings.site.link("/mes-habilitations");
    let mail = mails::member_added(
        &mails::Context::for_user(&state.settings, user),
        &user.first_name,
        &target.name,
        &full_name(actor),
        &link,
    );
    outbox::enqueue(txn, mail, now).await?;
    Ok(Added::Attached)
}

async fn invite(
    state: &AppState,
    txn: &DatabaseTransaction,
    actor: &user::Model,
    target: &structure::Model,
    login_email: &str,
    language: Language,
    now: DateTime<Utc>,
) -> Outcome<Added> {
    let expires_at = now + Duration::days(INVITATION_DAYS);
    let existing = invitation::Entity::find()
        .filter(invitation::Column::StructureId.eq(target.id))
        .filter(invitation::Column::LoginEmail.eq(login_email))
        .one(txn)
        .await?;
    match existing {
        Some(open) if open.accepted_at.is_none() && open.expires_at > now => {
            return refuse(MemberActionRefusal::AlreadyInvited);
        }
        // Lapsed, or accepted by an account since removed: sent again.
        Some(old) => {
            let mut renewed = old.into_active_model();
            renewed.invited_by = Set(Some(actor.id));
            renewed.created_at = Set(now);
            renewed.expires_at = Set(expires_at);
            renewed.accepted_at = Set(None);
            renewed.update(txn).await?;
        }
        None => {
            let inserted = invitation::ActiveModel {
                structure_id: Set(target.id),
                login_email: Set(login_email.to_owned()),
                invited_by: Set(Some(actor.id)),
                created_at: Set(now),
                expires_at: Set(expires_at),
                accepted_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await;
            match inserted {
                Ok(_) => {}
                Err(error) if is_unique_violation(&error) => {
                    return refuse(MemberActionRefusal::AlreadyInvited);
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
    let link = state.settings.site.link("/creer-un-compte");
    let cx = mails::Context::to(&state.settings, language, login_email);
    let mail = mails::invited(&cx, &target.name, &full_name(actor), expires_at, &link);
    outbox::enqueue(txn, mail, now).await?;
    Ok(Added::Invited)
}

/// Accepts the open invitations of a login address whose account was just
/// activated: the account is attached to each structure (unless it already
/// is), with the default profiles, and each acceptance audited. Run it in
/// the activation's transaction. How many structures were joined.
pub async fn accept<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    login_email: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let open = invitation::Entity::find()
        .filter(invitation::Column::LoginEmail.eq(login_email))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .all(conn)
        .await?;
    let mut joined = 0;
    for found in open {
        // Claimed once, even if two links of the account are used at once.
        let claimed = invitation::Entity::update_many()
            .col_expr(invitation::Column::AcceptedAt, Expr::value(Some(now)))
            .filter(invitation::Column::Id.eq(found.id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .exec(conn)
            .await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let attached = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::StructureId.eq(found.structure_id))
            .count(conn)
            .await?;
        if attached == 0 {
            authorisations::attach(conn, found.structure_id, user_id, Origin::Attached, now)
                .await?;
            joined += 1;
        }
        let entry = AuditEntry {
            actor_user_id: Some(user_id),
            event: "invitation.accepted",
            subject: Subject::Structure(found.structure_id),
            client_ip: None,
            details: serde_json::json!({ "invited_by": found.invited_by }),
        };
        audit::record(conn, entry, now).await?;
    }
    Ok(joined)
}
