//! The API's backend (T4, issue 17): who is calling, and what they may read.
//!
//! A call carries two credentials: the OAuth bearer token of one of the
//! structure's API clients (`technical::clients`), and the technical
//! user's login and password in `cpro-account`. Both must be good and name
//! the same structure; that structure is the caller's. A technical account
//! sees its own structure in full (its details, services and technical
//! password's expiry) and of the others only what *Demander un
//! rattachement* shows any user: identifier, type, name and status.
//!
//! The HTTP side (`server::cpro`) speaks the public platform's dialect;
//! this module knows nothing of it.

use crate::backend::db::page_of;
use crate::backend::entities::structure::{self, StructureStatus};
use crate::backend::entities::{service, technical_user};
use crate::backend::structures::search_key;
use crate::backend::technical::clients;
use crate::backend::technical::{self, Unusable};
use crate::domain::technical::{CredentialProblem, split_account};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The structure a call acts for, and its technical user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub structure_id: i32,
    pub technical: technical_user::Model,
}

/// Why a call is refused before it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallRefusal {
    /// No bearer token, or one unknown, revoked or expired.
    Token,
    /// No `cpro-account` header, or not base64 of `login:password`.
    AccountHeader,
    /// No such technical login, or not its password.
    BadCredentials,
    Problem(CredentialProblem),
    /// The token's client and the technical user belong to two structures.
    OtherStructure {
        token: i32,
    },
}

/// Checks a call's two credentials at `now`. `bearer` is the token after
/// `Bearer `; `account` the `cpro-account` header as sent.
pub async fn authorize<C: ConnectionTrait>(
    conn: &C,
    bearer: Option<&str>,
    account: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<Caller, CallRefusal>, DbErr> {
    let Some(token_structure) = (match bearer {
        Some(token) => clients::bearer(conn, token, now).await?,
        None => None,
    }) else {
        return Ok(Err(CallRefusal::Token));
    };
    let Some(decoded) = account.and_then(decode_account) else {
        return Ok(Err(CallRefusal::AccountHeader));
    };
    let Some((login, password)) = split_account(&decoded) else {
        return Ok(Err(CallRefusal::AccountHeader));
    };
    let technical = match technical::authenticate(conn, login, password, now).await? {
        Ok(row) => row,
        Err(Unusable::BadCredentials) => return Ok(Err(CallRefusal::BadCredentials)),
        Err(Unusable::Problem(problem)) => return Ok(Err(CallRefusal::Problem(problem))),
    };
    if technical.structure_id != token_structure {
        return Ok(Err(CallRefusal::OtherStructure {
            token: token_structure,
        }));
    }
    Ok(Ok(Caller {
        structure_id: technical.structure_id,
        technical,
    }))
}

/// `cpro-account`'s value: standard base64 (padded or not) of UTF-8.
fn decode_account(header: &str) -> Option<String> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    let header = header.trim();
    if header.len() > 1024 {
        return None;
    }
    let bytes = STANDARD
        .decode(header)
        .or_else(|_| STANDARD_NO_PAD.decode(header))
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// What *rechercher* looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructureSearch {
    /// An identifier, exactly (case aside), and its type's code if given.
    Identifier {
        identifier: String,
        kind: Option<String>,
    },
    /// The start of the *raison sociale*, case and accents aside, as
    /// *Demander un rattachement* searches it (rule S5).
    Name(String),
}

/// A page (from 0) of the active structures found, and how many there are.
pub async fn search_structures<C: ConnectionTrait>(
    conn: &C,
    search: &StructureSearch,
    page: u64,
    per_page: u64,
) -> Result<(Vec<structure::Model>, u64), DbErr> {
    let mut query =
        structure::Entity::find().filter(structure::Column::Status.eq(StructureStatus::Active));
    match search {
        StructureSearch::Identifier { identifier, kind } => {
            query = query
                .filter(structure::Column::IdentifierKey.eq(identifier.trim().to_uppercase()))
                .order_by_asc(structure::Column::Id);
            if let Some(kind) = kind {
                query = query.filter(structure::Column::IdentifierType.eq(kind.as_str()));
            }
        }
        StructureSearch::Name(part) => {
            let key = search_key(part);
            // One index range: the keys that start with `key`.
            let end = format!("{key}\u{10FFFF}");
            query = query
                .filter(structure::Column::NameKey.gte(key))
                .filter(structure::Column::NameKey.lt(end))
                .order_by_asc(structure::Column::NameKey)
                .order_by_asc(structure::Column::Id);
        }
    }
    page_of(conn, query, page, per_page).await
}

/// The caller's own structure, if `structure_id` is it (a technical
/// account reads no other structure's details).
pub async fn own_structure<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    structure_id: i64,
) -> Result<Option<structure::Model>, DbErr> {
    if i64::from(caller.structure_id) != structure_id {
        return Ok(None);
    }
    structure::Entity::find_by_id(caller.structure_id)
        .one(conn)
        .await
}

/// A page (from 0) of the caller's structure's services, by code, and how
/// many there are.
pub async fn services<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    page: u64,
    per_page: u64,
) -> Result<(Vec<service::Model>, u64), DbErr> {
    let query = service::Entity::find()
        .filter(service::Column::StructureId.eq(caller.structure_id))
        .order_by_asc(service::Column::Code);
    page_of(conn, query, page, per_page).await
}

/// One of the caller's structure's services.
pub async fn service<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    service_id: i64,
) -> Result<Option<service::Model>, DbErr> {
    let Ok(service_id) = i32::try_from(service_id) else {
        return Ok(None);
    };
    service::Entity::find_by_id(service_id)
        .filter(service::Column::StructureId.eq(caller.structure_id))
        .one(conn)
        .await
}
