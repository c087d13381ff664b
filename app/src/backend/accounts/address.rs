//! Changing the account's login address (*Changer mon adresse de
//! connexion*, rule P6) or contact address (*Mon compte*, rule P1): a
//! request e-mails a link to the new address; using the link makes the
//! change (`domain::address_change` says why each rule is so).
//!
//! One request per account and kind at a time: the table's key is the user
//! and the kind, so two requests at once cannot both be stored. A login
//! request is refused while one waits; a contact request replaces it. A used
//! or expired request makes way for the next one (the housekeeping,
//! `backend::purge`, removes it later). The link is used once: the
//! confirmation marks its row with one conditional `UPDATE`, and only the
//! caller whose update matched goes on.
//!
//! When the login address changes, the account's other sessions end
//! (whoever was logged in elsewhere must log in with the new address), its
//! live links are retired (a reset link was sent to the old address),
//! invitations to the new address take the account in (the link proved it,
//! as activation does), and both addresses are told (rule P3). When the
//! contact address changes, the old one is told.

use super::{language_of, mail_context, portal_link};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::address_change::{self, Kind};
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::error::{Outcome, refuse};
use crate::backend::secrets::{Token, hash_secret};
use crate::backend::state::AppState;
use crate::backend::structures::{invitations, members::user_search_key};
use crate::backend::support::Agent;
use crate::backend::throttle::{self, Limit, Try};
use crate::backend::{links, mails, outbox, sessions};
use crate::domain::account::LinkFailure;
use crate::domain::address_change::{AddressChangeRefusal, AddressKind, REQUESTS_PER_DAY};
use crate::domain::refusal::Refusal;
use crate::domain::tickets::ticket_number;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, Set, SqlErr, TransactionTrait,
};

/// The request of this kind waiting for its link, if one is live.
pub async fn pending<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    kind: AddressKind,
    now: DateTime<Utc>,
) -> Result<Option<address_change::Model>, DbErr> {
    address_change::Entity::find_by_id((user_id, Kind::from(kind)))
        .filter(address_change::Column::ExpiresAt.gt(now))
        .filter(address_change::Column::ConfirmedAt.is_null())
        .one(conn)
        .await
}

fn refused_pending(change: address_change::Model) -> Refusal {
    AddressChangeRefusal::Pending {
        new_address: change.new_address,
        expires_at: change.expires_at.to_rfc3339(),
    }
    .into()
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Whether an account other than `user_id` has this login address.
async fn taken<C: ConnectionTrait>(conn: &C, address: &str, user_id: i32) -> Result<bool, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::LoginEmail.eq(address))
        .filter(user::Column::Id.ne(user_id))
        .count(conn)
        .await?
        > 0)
}

/// The page of a kind's link.
fn link_path(kind: AddressKind) -> &'static str {
    match kind {
        AddressKind::Login => "/confirmer-adresse-de-connexion",
        AddressKind::Contact => "/confirmer-adresse-de-contact",
    }
}

/// Who starts a change, for its audit entry and its e-mails.
#[derive(Clone, Copy)]
pub(crate) enum Origin<'a> {
    /// The owner, from this client (`None` at sign-up, whose own audit
    /// entry has no address either).
    Owner(Option<&'a str>),
    /// Support's unblocking procedure (rule U2), from ticket `ticket`: the
    /// owner's current login address is told at once, so that Support
    /// cannot move an account to an address it controls unnoticed.
    Support {
        agent: &'a Agent,
        ticket: i32,
        client_ip: &'a str,
    },
}

/// Sends the confirmation link to `new_address` (checked and normalised by
/// the caller: [`crate::domain::address_change::check_new_address`]);
/// answers until when it is valid.
pub async fn request(
    state: &AppState,
    owner: &user::Model,
    kind: AddressKind,
    new_address: &str,
    client_ip: &str,
) -> Outcome<DateTime<Utc>> {
    request_from(
        state,
        owner,
        kind,
        new_address,
        Origin::Owner(Some(client_ip)),
    )
    .await
}

/// [`request`], started by `origin`.
pub(crate) async fn request_from(
    state: &AppState,
    owner: &user::Model,
    kind: AddressKind,
    new_address: &str,
    origin: Origin<'_>,
) -> Outcome<DateTime<Utc>> {
    let db = &state.db;
    let now = state.clock.now();
    if kind == AddressKind::Login
        && let Some(waiting) = pending(db, owner.id, kind, now).await?
    {
        return refuse(refused_pending(waiting));
    }
    // Counted before the address is looked at: the answer "unavailable"
    // tells whether an account exists, so it is rationed too.
    let limit = Limit {
        max: REQUESTS_PER_DAY,
        window: Duration::days(1),
        lock: Duration::days(1),
    };
    let key = format!("address-change:{}", owner.id);
    if let Try::Locked { .. } = throttle::reserve(db, &key, limit, now).await? {
        return refuse(AddressChangeRefusal::TooManyRequests);
    }
    if kind == AddressKind::Login && taken(db, new_address, owner.id).await? {
        return refuse(AddressChangeRefusal::Unavailable);
    }
    let txn = db.begin().await?;
    let expires_at = match send_link(state, &txn, owner, kind, new_address, origin).await? {
        Ok(expires_at) => expires_at,
        Err(refusal) => {
            drop(txn);
            return match pending(db, owner.id, kind, now).await? {
                Some(waiting) => refuse(refused_pending(waiting)),
                None => refuse(refusal),
            };
        }
    };
    txn.commit().await?;
    Ok(expires_at)
}

/// Stores the request and e-mails its link to the new address, in `txn`;
/// when its link will have expired. Also used at sign-up, for a contact
/// address other than the login address: it is the contact address once
/// its link is used, the login address until then (`client_ip` is `None`
/// there, as in the sign-up's own audit entry). The inner error is a login
/// request made at the same moment as another.
pub(crate) async fn send_link(
    state: &AppState,
    txn: &DatabaseTransaction,
    owner: &user::Model,
    kind: AddressKind,
    new_address: &str,
    origin: Origin<'_>,
) -> Result<Result<DateTime<Utc>, Refusal>, DbErr> {
    let now = state.clock.now();
    let hours = state.settings.security.address_change_hours;
    let expires_at = now + Duration::hours(i64::from(hours));
    let token = Token::generate();
    if let Err(refusal) = store(txn, owner.id, kind, new_address, &token, now, expires_at).await? {
        return Ok(Err(refusal));
    }
    let link = portal_link(
        state,
        &format!("{}?jeton={}", link_path(kind), token.expose()),
    );
    let cx = mail_context(state, language_of(owner), new_address);
    let mail = mails::address_change_link(&cx, kind, &owner.first_name, new_address, &link, hours);
    outbox::enqueue(txn, mail, now).await?;
    let (actor, client_ip, details) = match origin {
        Origin::Owner(client_ip) => (
            owner.id,
            client_ip,
            serde_json::json!({ "new_address": new_address }),
        ),
        Origin::Support {
            agent,
            ticket,
            client_ip,
        } => {
            let number = ticket_number(ticket);
            let cx = mail_context(state, language_of(owner), &owner.login_email);
            let notice = mails::address_change_by_support(
                &cx,
                &owner.first_name,
                new_address,
                &number,
                hours,
            );
            outbox::enqueue(txn, notice, now).await?;
            (
                agent.id(),
                Some(client_ip),
                serde_json::json!({ "new_address": new_address, "ticket": number }),
            )
        }
    };
    let entry = AuditEntry {
        actor_user_id: Some(actor),
        event: match kind {
            AddressKind::Login => "account.address_change_requested",
            AddressKind::Contact => "account.contact_change_requested",
        },
        subject: Subject::User(owner.id),
        client_ip: client_ip.map(str::to_owned),
        details,
    };
    audit::record(txn, entry, now).await?;
    Ok(Ok(expires_at))
}

/// Stores the request; the inner error is a login request made at the same
/// moment as another (the key is taken).
async fn store(
    txn: &DatabaseTransaction,
    user_id: i32,
    kind: AddressKind,
    new_address: &str,
    token: &Token,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Result<(), Refusal>, DbErr> {
    // A used or lapsed request makes way (a contact request replaces a
    // waiting one too); a live login request keeps the key, and the insert
    // below fails for a request made at the same moment.
    let mut over = Condition::any()
        .add(address_change::Column::ExpiresAt.lte(now))
        .add(address_change::Column::ConfirmedAt.is_not_null());
    if kind == AddressKind::Contact {
        over = Condition::all();
    }
    address_change::Entity::delete_many()
        .filter(address_change::Column::UserId.eq(user_id))
        .filter(address_change::Column::Kind.eq(Kind::from(kind)))
        .filter(over)
        .exec(txn)
        .await?;
    let stored = address_change::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.into()),
        new_address: Set(new_address.to_owned()),
        token_hash: Set(token.hash()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        confirmed_at: Set(None),
    }
    .insert(txn)
    .await;
    match stored {
        Ok(_) => Ok(Ok(())),
        Err(error) if is_unique_violation(&error) => {
            Ok(Err(AddressChangeRefusal::TooManyRequests.into()))
        }
        Err(error) => Err(error),
    }
}

/// A used link: which address changed, and to what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub kind: AddressKind,
    pub address: String,
}

/// Uses a confirmation link: the account's address of the link's kind
/// becomes the new one. `keep` is the caller's session token, kept if it is
/// the account's (the account's other sessions end on a login change).
pub async fn confirm(
    state: &AppState,
    token: &str,
    keep: Option<&str>,
    client_ip: &str,
) -> Outcome<Changed> {
    let now = state.clock.now();
    let token_hash = hash_secret(token);
    let txn = state.db.begin().await?;
    // The first statement is the write: of two uses at once, one matches
    // (on SQLite, a read first would make the loser fail instead of wait).
    let claimed = address_change::Entity::update_many()
        .col_expr(address_change::Column::ConfirmedAt, Expr::value(now))
        .filter(address_change::Column::TokenHash.eq(&token_hash))
        .filter(address_change::Column::ConfirmedAt.is_null())
        .filter(address_change::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    let found = address_change::Entity::find()
        .filter(address_change::Column::TokenHash.eq(&token_hash))
        .one(&txn)
        .await?;
    let change = match found {
        Some(change) if claimed.rows_affected == 1 => change,
        Some(change) if change.confirmed_at.is_some() => return refuse(LinkFailure::AlreadyUsed),
        Some(_) => return refuse(LinkFailure::Expired),
        None => return refuse(LinkFailure::Unknown),
    };
    let Some(owner) = user::Entity::find_by_id(change.user_id).one(&txn).await? else {
        return refuse(LinkFailure::Unknown);
    };
    let kind = AddressKind::from(change.kind);
    // A contact address typed at sign-up may be confirmed before the
    // account is activated (its link may come first).
    let pending_contact = kind == AddressKind::Contact && owner.status == UserStatus::Pending;
    if owner.status != UserStatus::Active && !pending_contact {
        return refuse(LinkFailure::Unknown);
    }
    let address = change.new_address;
    let details = match kind {
        AddressKind::Login => change_login(state, &txn, &owner, &address, keep, now).await?,
        AddressKind::Contact => change_contact(state, &txn, &owner, &address, now).await?,
    };
    let entry = AuditEntry {
        actor_user_id: Some(owner.id),
        event: match kind {
            AddressKind::Login => "account.address_changed",
            AddressKind::Contact => "account.contact_changed",
        },
        subject: Subject::User(owner.id),
        client_ip: Some(client_ip.to_owned()),
        details,
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(Changed { kind, address })
}

/// The login address becomes `address`; answers the audit's details.
async fn change_login(
    state: &AppState,
    txn: &DatabaseTransaction,
    owner: &user::Model,
    address: &str,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Outcome<serde_json::Value> {
    if taken(txn, address, owner.id).await? {
        return refuse(AddressChangeRefusal::Unavailable);
    }
    let changed = user::Entity::update_many()
        .col_expr(user::Column::LoginEmail, Expr::value(address))
        .col_expr(
            user::Column::SearchKey,
            Expr::value(user_search_key(
                &owner.last_name,
                &owner.first_name,
                address,
            )),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(owner.id))
        .exec(txn)
        .await;
    match changed {
        Ok(_) => {}
        // Taken by a sign-up since the check above.
        Err(error) if is_unique_violation(&error) => {
            return refuse(AddressChangeRefusal::Unavailable);
        }
        Err(error) => return Err(error.into()),
    }
    let ended = sessions::destroy_all_of_user(txn, owner.id, keep).await?;
    links::retire_all(txn, owner.id, now).await?;
    invitations::accept(txn, owner.id, address, now).await?;
    let language = language_of(owner);
    for (recipient, to_old) in [(owner.login_email.as_str(), true), (address, false)] {
        let cx = mail_context(state, language, recipient);
        let mail =
            mails::address_changed(&cx, AddressKind::Login, &owner.first_name, address, to_old);
        outbox::enqueue(txn, mail, now).await?;
    }
    Ok(serde_json::json!({
        "from": owner.login_email,
        "to": address,
        "sessions_ended": ended,
    }))
}

/// The contact address becomes `address`; answers the audit's details.
async fn change_contact(
    state: &AppState,
    txn: &DatabaseTransaction,
    owner: &user::Model,
    address: &str,
    now: DateTime<Utc>,
) -> Outcome<serde_json::Value> {
    user::Entity::update_many()
        .col_expr(user::Column::ContactEmail, Expr::value(address))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(owner.id))
        .exec(txn)
        .await?;
    let cx = mail_context(state, language_of(owner), &owner.contact_email);
    let mail = mails::address_changed(&cx, AddressKind::Contact, &owner.first_name, address, true);
    outbox::enqueue(txn, mail, now).await?;
    Ok(serde_json::json!({ "from": owner.contact_email, "to": address }))
}
