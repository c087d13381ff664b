//! The technical user's password (T3, T4): replaced in one act from the
//! structure's page, or proposed then submitted from *Compte technique*,
//! and checked when the API is called.
//!
//! Whichever way, the new password comes from the server's generator and is
//! put in force by one conditional update over the password the request
//! read, so that of two requests sent at once one is refused rather than
//! both showing a password of which only one works. The primary manager is
//! e-mailed in the same transaction (the outbox sends it after the commit).

use super::{Issued, existing, issue, record};
use crate::backend::authorisations::standing;
use crate::backend::entities::technical_user;
use crate::backend::error::BackendError;
use crate::backend::error::{Outcome, refuse};
use crate::backend::mails::{self, Context};
use crate::backend::outbox;
use crate::backend::secrets::{hash_secret, matches_hash};
use crate::backend::state::AppState;
use crate::backend::structures::members::primary_manager;
use crate::domain::refusal::Refusal;
use crate::domain::technical::may_act;
use crate::domain::technical::{self, CredentialProblem, TechnicalRefusal, is_generated_shape};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// *Réinitialiser le mot de passe (utilisateur technique)* from the
/// structure's page, after its confirmation: a new password, in force at
/// once (the old one stops working with the commit).
pub async fn reset_password(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    client_ip: &str,
) -> Outcome<Issued> {
    let row = existing(&state.db, user_id, structure_id).await?;
    let now = state.clock.now();
    let issued = issue(state, row.login.clone(), now);
    let txn = state.db.begin().await?;
    put_in_force(
        &txn,
        state,
        &row,
        &hash_secret(issued.password.expose()),
        None,
        now,
    )
    .await?;
    may_act(standing(&txn, user_id, structure_id).await?)?;
    record(
        &txn,
        user_id,
        structure_id,
        "technical.password_reset",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// *Réinitialisation du mot de passe d'un compte technique* chosen on
/// *Compte technique*: a new password to show, which changes nothing yet
/// (the seeds: "si l'action Soumettre n'est pas réalisée, le mot de passe ne
/// sera pas modifié"). A second proposal replaces the first.
pub async fn propose(state: &AppState, user_id: i32, structure_id: i32) -> Outcome<Issued> {
    let row = existing(&state.db, user_id, structure_id).await?;
    let now = state.clock.now();
    // The expiry shown is the one *Soumettre* will set, give or take the
    // minutes between the two.
    let issued = issue(state, row.login.clone(), now);
    let mut proposed: technical_user::ActiveModel = row.into();
    proposed.proposed_hash = Set(Some(hash_secret(issued.password.expose())));
    proposed.proposed_at = Set(Some(now));
    proposed.update(&state.db).await?;
    Ok(issued)
}

/// *Soumettre* after a proposal: puts `password` in force if it is the one
/// last proposed for this structure, less than
/// [`technical::PROPOSAL_MINUTES`] ago; anything else changes nothing.
/// Answers the new expiry.
pub async fn submit_proposal(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    password: &str,
    client_ip: &str,
) -> Outcome<DateTime<Utc>> {
    let row = existing(&state.db, user_id, structure_id).await?;
    let now = state.clock.now();
    let proposal = match (&row.proposed_hash, row.proposed_at) {
        (Some(hash), Some(at))
            if is_generated_shape(password)
                && matches_hash(password, hash)
                && technical::proposal_current(at, now) =>
        {
            hash.clone()
        }
        _ => return refuse(TechnicalRefusal::ProposalExpired),
    };
    let txn = state.db.begin().await?;
    let expires_at = put_in_force(&txn, state, &row, &proposal, Some(&proposal), now)
        .await
        .map_err(|refused| match refused {
            // The proposal was replaced or used meanwhile.
            BackendError::Refused(Refusal::Technical(TechnicalRefusal::ChangedMeanwhile)) => {
                TechnicalRefusal::ProposalExpired.into()
            }
            other => other,
        })?;
    may_act(standing(&txn, user_id, structure_id).await?)?;
    record(
        &txn,
        user_id,
        structure_id,
        "technical.password_reset",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(expires_at)
}

/// Replaces `row`'s password by the one hashed `new_hash` if nobody changed
/// it since `row` was read (nor, when one is submitted, replaced the
/// `proposal`), forgets any proposal and the warnings sent for the old
/// password, and e-mails the primary manager. Answers the expiry. Its
/// update is the first statement of the caller's transaction.
async fn put_in_force<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    row: &technical_user::Model,
    new_hash: &str,
    proposal: Option<&str>,
    now: DateTime<Utc>,
) -> Outcome<DateTime<Utc>> {
    use technical_user::Column;
    let expires_at = technical::expires_at(now, state.settings.technical.password_days);
    let mut update = technical_user::Entity::update_many()
        .col_expr(Column::PasswordHash, Expr::value(new_hash))
        .col_expr(Column::PasswordSetAt, Expr::value(now))
        .col_expr(Column::PasswordExpiresAt, Expr::value(expires_at))
        .col_expr(Column::LastWarningDays, Expr::value(Option::<i32>::None))
        .col_expr(Column::ProposedHash, Expr::value(Option::<String>::None))
        .col_expr(
            Column::ProposedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::ModifiedAt, Expr::value(now))
        .filter(Column::StructureId.eq(row.structure_id))
        .filter(Column::PasswordHash.eq(row.password_hash.as_str()));
    if let Some(proposal) = proposal {
        update = update.filter(Column::ProposedHash.eq(proposal));
    }
    let changed = update.exec(conn).await?;
    if changed.rows_affected != 1 {
        return refuse(TechnicalRefusal::ChangedMeanwhile);
    }
    if let Some(manager) = primary_manager(conn, row.structure_id).await? {
        let cx = Context::for_user(&state.settings, &manager);
        let name = format!("{} {}", manager.first_name, manager.last_name);
        let mail = mails::technical_password_reset(&cx, &name, &row.login);
        outbox::enqueue(conn, mail, now).await?;
    }
    Ok(expires_at)
}

/// Why the API refuses a technical login and password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// No such login, or not its password: nothing more is said.
    BadCredentials,
    Problem(CredentialProblem),
}

/// The technical user whose `login` and `password` these are, if the API
/// may be called with them at `now` (T4). A password that could not have
/// been generated is refused before the lookup.
pub async fn authenticate<C: ConnectionTrait>(
    conn: &C,
    login: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Result<technical_user::Model, Unusable>, DbErr> {
    if !is_generated_shape(password) || login.len() > 320 {
        return Ok(Err(Unusable::BadCredentials));
    }
    let found = technical_user::Entity::find()
        .filter(technical_user::Column::Login.eq(login))
        .one(conn)
        .await?;
    let Some(row) = found.filter(|row| matches_hash(password, &row.password_hash)) else {
        return Ok(Err(Unusable::BadCredentials));
    };
    Ok(
        match technical::usable(row.status.into(), row.password_expires_at, now) {
            Ok(()) => Ok(row),
            Err(problem) => Err(Unusable::Problem(problem)),
        },
    )
}
