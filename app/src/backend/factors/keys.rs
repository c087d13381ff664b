//! Security keys (rules F3, L3) with webauthn-rs's *security key* flow: a
//! second factor after the password, user presence required, the signature
//! counter checked and stored at every use.
//!
//! Each ceremony (register, login) is a state machine whose state stays on
//! the server, in `webauthn_ceremonies`, bound to the session that began it:
//! the browser only ever holds the challenge. A ceremony is taken out of the
//! table by one conditional delete before it is verified, so it is used at
//! most once; it lives [`CEREMONY_MINUTES`]. Starting a ceremony replaces any
//! earlier one of the same session and purpose.

use super::record_change;
use crate::backend::accounts;
use crate::backend::entities::{security_key, user, webauthn_ceremony};
use crate::backend::error::{BackendError, Outcome, refuse};
use crate::backend::guard::Guard;
use crate::backend::mails::FactorChange;
use crate::backend::state::AppState;
use crate::domain::factors::FactorRefusal;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr, TransactionTrait,
};
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, SecurityKey, SecurityKeyAuthentication, SecurityKeyRegistration,
    Uuid, Webauthn,
};

/// How long the browser has to answer a challenge.
pub const CEREMONY_MINUTES: i64 = 5;

const REGISTER: &str = "register";
const LOGIN: &str = "login";

/// The user handle the authenticator stores: derived from the account id,
/// it never changes and says nothing about the person.
fn user_handle(user_id: i32) -> Uuid {
    Uuid::from_u128(u128::from(user_id.unsigned_abs()))
}

/// The relying party, or the refusal when keys cannot work at this address.
fn webauthn(state: &AppState) -> Outcome<&Webauthn> {
    match state.webauthn.as_deref() {
        Some(webauthn) => Ok(webauthn),
        None => refuse(FactorRefusal::KeysUnavailable),
    }
}

fn rejected<T>(error: impl std::fmt::Display) -> Outcome<T> {
    tracing::info!(%error, "security key answer rejected");
    refuse(FactorRefusal::KeyRejected)
}

/// The user's keys, oldest first.
pub async fn of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Vec<security_key::Model>, DbErr> {
    security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .order_by_asc(security_key::Column::Id)
        .all(conn)
        .await
}

async fn begin<C: ConnectionTrait>(
    conn: &C,
    session_id: &str,
    user_id: i32,
    purpose: &str,
    state: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    webauthn_ceremony::Entity::delete_many()
        .filter(webauthn_ceremony::Column::SessionId.eq(session_id))
        .filter(webauthn_ceremony::Column::Purpose.eq(purpose))
        .exec(conn)
        .await?;
    webauthn_ceremony::ActiveModel {
        session_id: Set(session_id.to_owned()),
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        state: Set(state),
        expires_at: Set(now + Duration::minutes(CEREMONY_MINUTES)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Takes the live ceremony of this session, user and purpose out of the
/// table; `None` if there is none, it has expired, or another request took
/// it first.
async fn take<C: ConnectionTrait>(
    conn: &C,
    session_id: &str,
    user_id: i32,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let Some(found) = webauthn_ceremony::Entity::find()
        .filter(webauthn_ceremony::Column::SessionId.eq(session_id))
        .filter(webauthn_ceremony::Column::UserId.eq(user_id))
        .filter(webauthn_ceremony::Column::Purpose.eq(purpose))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let taken = webauthn_ceremony::Entity::delete_by_id(found.id)
        .exec(conn)
        .await?;
    Ok((taken.rows_affected == 1 && found.expires_at > now).then_some(found.state))
}

/// *Ajouter une nouvelle clé*, first half: the options for
/// `navigator.credentials.create`. The user's keys are excluded, so the same
/// key is not registered twice.
pub async fn start_registration(
    state: &AppState,
    session_id: &str,
    user: &user::Model,
) -> Outcome<CreationChallengeResponse> {
    let webauthn = webauthn(state)?;
    let existing = of_user(&state.db, user.id).await?;
    let mut exclude = Vec::new();
    for key in &existing {
        exclude.push(
            serde_json::from_str::<SecurityKey>(&key.credential)?
                .cred_id()
                .clone(),
        );
    }
    let display_name = format!("{} {}", user.first_name, user.last_name);
    let (options, registration) = webauthn
        .start_securitykey_registration(
            user_handle(user.id),
            &user.login_email,
            &display_name,
            Some(exclude),
            None,
            None,
        )
        .map_err(|e| BackendError::Webauthn(e.to_string()))?;
    let saved = serde_json::to_string(&registration)?;
    begin(
        &state.db,
        session_id,
        user.id,
        REGISTER,
        saved,
        state.clock.now(),
    )
    .await?;
    Ok(options)
}

/// Second half: verifies the browser's answer and stores the key.
pub async fn finish_registration(
    state: &AppState,
    session_id: &str,
    user: &user::Model,
    name: &str,
    answer: &RegisterPublicKeyCredential,
    client_ip: &str,
) -> Outcome<()> {
    let webauthn = webauthn(state)?;
    let now = state.clock.now();
    let Some(saved) = take(&state.db, session_id, user.id, REGISTER, now).await? else {
        return refuse(FactorRefusal::KeyCeremonyExpired);
    };
    let registration: SecurityKeyRegistration = serde_json::from_str(&saved)?;
    let key = match webauthn.finish_securitykey_registration(answer, &registration) {
        Ok(key) => key,
        Err(e) => return rejected(e),
    };
    let txn = state.db.begin().await?;
    let inserted = security_key::ActiveModel {
        user_id: Set(user.id),
        name: Set(name.to_owned()),
        credential_id: Set(hex::encode(key.cred_id())),
        credential: Set(serde_json::to_string(&key)?),
        created_at: Set(now),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return refuse(FactorRefusal::KeyAlreadyRegistered);
        }
        Err(e) => return Err(e.into()),
    }
    record_change(
        &txn,
        state,
        user,
        FactorChange::KeyAdded(name.to_owned()),
        "factor.key_added",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The login step with a key, first half: the options for
/// `navigator.credentials.get`, allowing the user's keys.
pub async fn start_login(
    state: &AppState,
    session_id: &str,
    user_id: i32,
) -> Outcome<RequestChallengeResponse> {
    let webauthn = webauthn(state)?;
    let mut keys = Vec::new();
    for row in of_user(&state.db, user_id).await? {
        keys.push(serde_json::from_str::<SecurityKey>(&row.credential)?);
    }
    if keys.is_empty() {
        return refuse(FactorRefusal::KeyRejected);
    }
    let (options, authentication) = webauthn
        .start_securitykey_authentication(&keys)
        .map_err(|e| BackendError::Webauthn(e.to_string()))?;
    let saved = serde_json::to_string(&authentication)?;
    begin(
        &state.db,
        session_id,
        user_id,
        LOGIN,
        saved,
        state.clock.now(),
    )
    .await?;
    Ok(options)
}

/// Second half: verifies the signature, user presence and counter, and
/// stores the new counter.
pub async fn finish_login(
    state: &AppState,
    session_id: &str,
    user: &user::Model,
    answer: &PublicKeyCredential,
    client_ip: &str,
) -> Outcome<()> {
    let webauthn = webauthn(state)?;
    let now = state.clock.now();
    let db = &state.db;
    let user_id = user.id;
    let guard = Guard::new(&user.login_email, Some(user_id), client_ip);
    let _verifying = guard.reserve(state).await?;
    let Some(saved) = take(db, session_id, user_id, LOGIN, now).await? else {
        return refuse(FactorRefusal::KeyCeremonyExpired);
    };
    let authentication: SecurityKeyAuthentication = serde_json::from_str(&saved)?;
    let result = match webauthn.finish_securitykey_authentication(answer, &authentication) {
        Ok(result) => result,
        Err(e) => {
            guard.failed(state).await?;
            accounts::log_event(db, "login.key_failed", user_id, client_ip, now).await?;
            return rejected(e);
        }
    };
    let credential_id = hex::encode(result.cred_id());
    let Some(row) = security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .filter(security_key::Column::CredentialId.eq(&credential_id))
        .one(db)
        .await?
    else {
        guard.failed(state).await?;
        return refuse(FactorRefusal::KeyRejected);
    };
    let mut stored: SecurityKey = serde_json::from_str(&row.credential)?;
    stored.update_credential(&result);
    let txn = db.begin().await?;
    security_key::Entity::update_many()
        .col_expr(
            security_key::Column::Credential,
            Expr::value(serde_json::to_string(&stored)?),
        )
        .col_expr(security_key::Column::LastUsedAt, Expr::value(Some(now)))
        .filter(security_key::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    guard.succeeded(&txn).await?;
    accounts::record_login(&txn, user_id, "login.succeeded_key", client_ip, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Renames one of the user's keys; `false` if the user has no such key.
pub async fn rename(state: &AppState, user_id: i32, key_id: i32, name: &str) -> Outcome<bool> {
    let renamed = security_key::Entity::update_many()
        .col_expr(security_key::Column::Name, Expr::value(name))
        .filter(security_key::Column::Id.eq(key_id))
        .filter(security_key::Column::UserId.eq(user_id))
        .exec(&state.db)
        .await?;
    Ok(renamed.rows_affected == 1)
}

/// Removes one of the user's keys; `false` if the user has no such key.
pub async fn remove(
    state: &AppState,
    user: &user::Model,
    key_id: i32,
    client_ip: &str,
) -> Outcome<bool> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let Some(row) = security_key::Entity::find()
        .filter(security_key::Column::Id.eq(key_id))
        .filter(security_key::Column::UserId.eq(user.id))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    security_key::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    record_change(
        &txn,
        state,
        user,
        FactorChange::KeyRemoved(row.name),
        "factor.key_removed",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
