//! Issuing and redeeming proof-of-work challenges (rule A2); the puzzle
//! itself is `domain::captcha`, shared with the browser.

use crate::backend::entities::captcha_challenge;
use crate::backend::secrets::{Token, hash_secret};
use crate::domain::captcha::is_solution;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

/// How long a challenge may be solved and sent.
pub const LIFETIME: Duration = Duration::minutes(20);

/// A challenge as the browser receives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Challenge {
    pub challenge: String,
    pub bits: u32,
}

pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    bits: u32,
    now: DateTime<Utc>,
) -> Result<Challenge, DbErr> {
    let token = Token::generate();
    captcha_challenge::ActiveModel {
        id: Set(token.hash()),
        bits: Set(i32::try_from(bits).unwrap_or(i32::MAX)),
        expires_at: Set(now + LIFETIME),
        used_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(Challenge {
        challenge: token.expose().to_owned(),
        bits,
    })
}

/// Whether `nonce` solves a live, unused challenge; the challenge is spent
/// either way once it was found, so it can never be replayed.
pub async fn redeem<C: ConnectionTrait>(
    conn: &C,
    challenge: &str,
    nonce: u64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let id = hash_secret(challenge);
    let spent = captcha_challenge::Entity::update_many()
        .col_expr(captcha_challenge::Column::UsedAt, Expr::value(now))
        .filter(captcha_challenge::Column::Id.eq(id.clone()))
        .filter(captcha_challenge::Column::UsedAt.is_null())
        .filter(captcha_challenge::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(false);
    }
    let Some(row) = captcha_challenge::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    Ok(is_solution(
        challenge,
        nonce,
        u32::try_from(row.bits).unwrap_or(u32::MAX),
    ))
}
