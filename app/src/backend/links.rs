//! One-time links (rules A3, A5, L4): activation and password reset. A link
//! carries a random token; the table keeps its hash, its expiry and when it
//! was used. Using it is one conditional `UPDATE`, so it works once even when
//! opened twice at the same moment. A new activation link retires the older
//! ones; a new reset link does not (asking twice must not kill the link
//! that is already in the mailbox: rule L4), and using any link retires
//! every other live link of the account ([`retire_all`]).

use crate::backend::entities::user_token::{self, TokenPurpose};
use crate::backend::error::{Outcome, refuse};
use crate::backend::secrets::{Token, hash_secret};
use crate::domain::account::LinkFailure;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    purpose: TokenPurpose,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<Token, DbErr> {
    if purpose == TokenPurpose::Activation {
        user_token::Entity::update_many()
            .col_expr(user_token::Column::UsedAt, Expr::value(now))
            .filter(user_token::Column::UserId.eq(user_id))
            .filter(user_token::Column::Purpose.eq(purpose))
            .filter(user_token::Column::UsedAt.is_null())
            .exec(conn)
            .await?;
    }
    let token = Token::generate();
    user_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose),
        token_hash: Set(token.hash()),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// Retires every live link of the user (once a password has been set).
pub async fn retire_all<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user_token::Entity::update_many()
        .col_expr(user_token::Column::UsedAt, Expr::value(now))
        .filter(user_token::Column::UserId.eq(user_id))
        .filter(user_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether the link works now, without using it (to show the form or the
/// failure message when the page opens).
pub async fn check<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Outcome<user_token::Model> {
    let found = user_token::Entity::find()
        .filter(user_token::Column::TokenHash.eq(hash_secret(token)))
        .one(conn)
        .await?;
    match found {
        None => refuse(LinkFailure::Unknown),
        Some(row) if row.used_at.is_some() => refuse(LinkFailure::AlreadyUsed),
        Some(row) if row.expires_at <= now => refuse(LinkFailure::Expired),
        Some(row) => Ok(row),
    }
}

/// Uses the link: succeeds once, and only before it expires.
pub async fn consume<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Outcome<user_token::Model> {
    let hash = hash_secret(token);
    let used = user_token::Entity::update_many()
        .col_expr(user_token::Column::UsedAt, Expr::value(now))
        .filter(user_token::Column::TokenHash.eq(hash))
        .filter(user_token::Column::UsedAt.is_null())
        .filter(user_token::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if used.rows_affected == 1 {
        return match check_any(conn, token).await? {
            Some(row) => Ok(row),
            None => refuse(LinkFailure::Unknown),
        };
    }
    // Not consumed: say why (a live link here was used at the same moment).
    check(conn, token, now).await?;
    refuse(LinkFailure::AlreadyUsed)
}

async fn check_any<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> Result<Option<user_token::Model>, DbErr> {
    user_token::Entity::find()
        .filter(user_token::Column::TokenHash.eq(hash_secret(token)))
        .one(conn)
        .await
}
