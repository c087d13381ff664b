//! The API's OAuth clients (T4): created and revoked by the structure's
//! primary manager, each secret shown once; and the access tokens that the
//! client credentials grant (RFC 6749 §4.4) buys, checked on every call.
//!
//! Secrets and tokens are generated like the technical password (32
//! unreserved characters, about 193 bits) and kept as SHA-256 only: a call
//! costs one lookup by primary key and one hash, not an argon2 (the
//! README's security section says why that is safe).

use super::{acting_on, record};
use crate::backend::entities::{api_client, api_token};
use crate::backend::error::{Outcome, refuse};
use crate::backend::secrets::{hash_secret, matches_hash};
use crate::backend::state::AppState;
use crate::domain::refusal::Refusal;
use crate::domain::shown_once::ShownOnce;
use crate::domain::technical::{self, MAX_CLIENTS, TOKEN_SECONDS, TechnicalRefusal};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// A client just created: its secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedClient {
    pub client_id: String,
    pub secret: ShownOnce,
}

/// An access token just granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub access_token: ShownOnce,
    pub expires_in: i64,
}

/// The structure's clients, newest first, revoked ones included (their
/// dates stay readable), for its primary manager.
pub async fn list(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
) -> Outcome<Vec<api_client::Model>> {
    acting_on(&state.db, user_id, structure_id).await?;
    Ok(api_client::Entity::find()
        .filter(api_client::Column::StructureId.eq(structure_id))
        .order_by_desc(api_client::Column::Id)
        .all(&state.db)
        .await?)
}

/// A new client for the structure's software.
pub async fn create(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    client_ip: &str,
) -> Outcome<IssuedClient> {
    acting_on(&state.db, user_id, structure_id).await?;
    let now = state.clock.now();
    let issued = {
        let mut rng = rand::rng();
        let mut byte = || rng.random::<u8>();
        IssuedClient {
            client_id: technical::generate(&mut byte),
            secret: ShownOnce::new(technical::generate(&mut byte)),
        }
    };
    // The write first (see `technical`'s module documentation), then the
    // count that includes it: of two creations at once past the limit,
    // neither is kept rather than both.
    let txn = state.db.begin().await?;
    api_client::ActiveModel {
        structure_id: Set(structure_id),
        client_id: Set(issued.client_id.clone()),
        secret_hash: Set(hash_secret(issued.secret.expose())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let held = api_client::Entity::find()
        .filter(api_client::Column::StructureId.eq(structure_id))
        .filter(api_client::Column::RevokedAt.is_null())
        .count(&txn)
        .await?;
    if held > MAX_CLIENTS {
        return refuse(TechnicalRefusal::TooManyClients);
    }
    acting_on(&txn, user_id, structure_id).await?;
    record(
        &txn,
        user_id,
        structure_id,
        "technical.client_created",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// Revokes a client (by its line's id): no more tokens, and those it holds
/// stop working at once. Revoking it again changes nothing.
pub async fn revoke(
    state: &AppState,
    user_id: i32,
    structure_id: i32,
    client: i32,
    client_ip: &str,
) -> Outcome<()> {
    acting_on(&state.db, user_id, structure_id).await?;
    let Some(row) = api_client::Entity::find_by_id(client)
        .filter(api_client::Column::StructureId.eq(structure_id))
        .one(&state.db)
        .await?
    else {
        return refuse(Refusal::NotFound);
    };
    if row.revoked_at.is_some() {
        return Ok(());
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let revoked = api_client::Entity::update_many()
        .col_expr(api_client::Column::RevokedAt, Expr::value(now))
        .filter(api_client::Column::Id.eq(client))
        .filter(api_client::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if revoked.rows_affected == 0 {
        // Revoked meanwhile by another request.
        return Ok(());
    }
    api_token::Entity::delete_many()
        .filter(api_token::Column::ClientId.eq(client))
        .exec(&txn)
        .await?;
    acting_on(&txn, user_id, structure_id).await?;
    record(
        &txn,
        user_id,
        structure_id,
        "technical.client_revoked",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The client credentials grant: a token for an unrevoked client whose
/// secret this is, or `None` (nothing more is said, RFC 6749 §5.2
/// `invalid_client`). Shapes that could not have been generated are
/// refused before any lookup.
pub async fn grant<C: ConnectionTrait>(
    conn: &C,
    client_id: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<Granted>, DbErr> {
    if !technical::is_generated_shape(client_id) || !technical::is_generated_shape(secret) {
        return Ok(None);
    }
    let Some(client) = api_client::Entity::find()
        .filter(api_client::Column::ClientId.eq(client_id))
        .filter(api_client::Column::RevokedAt.is_null())
        .one(conn)
        .await?
        .filter(|c| matches_hash(secret, &c.secret_hash))
    else {
        return Ok(None);
    };
    let access_token = {
        let mut rng = rand::rng();
        technical::generate(&mut || rng.random::<u8>())
    };
    api_token::ActiveModel {
        token_hash: Set(hash_secret(&access_token)),
        client_id: Set(client.id),
        structure_id: Set(client.structure_id),
        expires_at: Set(now + Duration::seconds(TOKEN_SECONDS)),
    }
    .insert(conn)
    .await?;
    let mut used: api_client::ActiveModel = client.into();
    used.last_used_at = Set(Some(now));
    used.update(conn).await?;
    Ok(Some(Granted {
        access_token: ShownOnce::new(access_token),
        expires_in: TOKEN_SECONDS,
    }))
}

/// The structure whose client holds this unexpired bearer token, if any.
pub async fn bearer<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    if !technical::is_generated_shape(token) {
        return Ok(None);
    }
    Ok(api_token::Entity::find_by_id(hash_secret(token))
        .one(conn)
        .await?
        .filter(|t| t.expires_at > now)
        .map(|t| t.structure_id))
}
