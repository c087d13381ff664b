//! Recovery codes and the stricter second factor (security review: whoever
//! controls the login mailbox must not pass the second factor of a user who
//! has an app or a key).
//!
//! A user with an app or a key may draw [`RECOVERY_CODE_COUNT`] single-use
//! codes (50 random bits each; below 112 bits ASVS 6.5.2 asks for a salted
//! password hash, so each is stored as an argon2id PHC string like a
//! password, and a login verifies the typed code against the account's
//! unused ones, at most ten). The brute-force guard counts every wrong
//! one. Drawing
//! new codes retires the old ones. Each use is e-mailed to the contact
//! address and audited. With codes in hand the user may refuse the e-mailed
//! code: then neither *Mot de passe oublié ?* nor *Se connecter d'une autre
//! façon* lowers their second factor below the app, the key or a recovery
//! code. A login through the e-mailed code by a user who has an app or a key
//! is e-mailed to the contact address ([`after_email_code_login`]).

use super::{record_change, record_login_notice};
use crate::backend::accounts;
use crate::backend::entities::{recovery_code, security_key, totp_app, user};
use crate::backend::error::BackendError;
use crate::backend::error::{Outcome, refuse};
use crate::backend::guard::Guard;
use crate::backend::mails::{FactorChange, LoginNotice};
use crate::backend::state::AppState;
use crate::domain::factors::{
    AccountFactors, FactorRefusal, RECOVERY_ALPHABET, RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH,
    normalize_recovery_code,
};
use crate::domain::login::LoginRefusal;
use crate::domain::password::Password;
use crate::domain::refusal::Refusal;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};

/// What `user_id` has registered (for the login and the factors page).
pub async fn account_factors<C: ConnectionTrait>(
    conn: &C,
    user: &user::Model,
) -> Result<AccountFactors, DbErr> {
    let totp = totp_app::Entity::find()
        .filter(totp_app::Column::UserId.eq(user.id))
        .count(conn)
        .await?
        > 0;
    let key = security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user.id))
        .count(conn)
        .await?
        > 0;
    Ok(AccountFactors {
        totp,
        key,
        recovery_codes: unused(conn, user.id).await? > 0,
        email_code_refused: user.email_code_refused,
    })
}

/// How many unused recovery codes the user has.
pub async fn unused<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<u64, DbErr> {
    recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(conn)
        .await
}

fn draw() -> String {
    let mut rng = rand::rng();
    (0..RECOVERY_CODE_LENGTH)
        .map(|_| char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())]))
        .collect()
}

/// Draws new recovery codes (the old ones stop working); returns them, to
/// be shown once.
pub async fn generate(
    state: &AppState,
    user: &user::Model,
    client_ip: &str,
) -> Outcome<Vec<String>> {
    let now = state.clock.now();
    if !account_factors(&state.db, user).await?.has_strong_factor() {
        return refuse(FactorRefusal::StrongFactorRequired);
    }
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT).map(|_| draw()).collect();
    let plain = codes.clone();
    let hashes = state
        .passwords
        .run(move |passwords, memory| {
            plain
                .iter()
                .map(|code| {
                    let code = Password::typed(code)
                        .map_err(|_| BackendError::Hash("recovery code".into()))?;
                    Ok(passwords.hash(memory, &code)?)
                })
                .collect::<Result<Vec<String>, BackendError>>()
        })
        .await??;
    let txn = state.db.begin().await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .exec(&txn)
        .await?;
    for hash in hashes {
        recovery_code::ActiveModel {
            user_id: Set(user.id),
            code_hash: Set(hash),
            created_at: Set(now),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    record_change(
        &txn,
        state,
        user,
        FactorChange::RecoveryCodesDrawn,
        "factor.recovery_codes_drawn",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// The login step with a recovery code: right, unused, within the guard.
pub async fn verify_login(
    state: &AppState,
    user: &user::Model,
    typed: &str,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let db = &state.db;
    if !account_factors(db, user).await?.has_strong_factor() {
        // Codes are offered with an app or a key only; left-over codes of
        // an account that removed both do not open it.
        return refuse(Refusal::NotAllowed);
    }
    let guard = Guard::new(&user.login_email, Some(user.id), client_ip);
    let _verifying = guard.reserve(state).await?;
    let Some(code) = normalize_recovery_code(typed) else {
        guard.failed(state).await?;
        return refuse(LoginRefusal::CodeWrong);
    };
    let matching = matching_code(state, user.id, code).await?;
    let txn = db.begin().await?;
    // Using a code is one conditional update: the same code sent twice at
    // once opens one login.
    let used = match matching {
        Some(id) => {
            recovery_code::Entity::update_many()
                .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
                .filter(recovery_code::Column::Id.eq(id))
                .filter(recovery_code::Column::UsedAt.is_null())
                .exec(&txn)
                .await?
                .rows_affected
        }
        None => 0,
    };
    if used != 1 {
        drop(txn);
        guard.failed(state).await?;
        accounts::log_event(db, "login.recovery_code_failed", user.id, client_ip, now).await?;
        return refuse(LoginRefusal::CodeWrong);
    }
    let left = unused(&txn, user.id).await?;
    guard.succeeded(&txn).await?;
    accounts::record_login(
        &txn,
        user.id,
        "login.succeeded_recovery_code",
        client_ip,
        now,
    )
    .await?;
    record_login_notice(
        &txn,
        state,
        user,
        LoginNotice::RecoveryCodeUsed(left),
        "factor.recovery_code_used",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The unused code of the user that `code` matches, if any.
async fn matching_code(state: &AppState, user_id: i32, code: String) -> Outcome<Option<i32>> {
    let unused: Vec<(i32, String)> = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .all(&state.db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.code_hash))
        .collect();
    let found = state
        .passwords
        .run(move |passwords, memory| {
            let typed = Password::typed(&code).ok()?;
            unused
                .into_iter()
                .find(|(_, hash)| passwords.verify(memory, &typed, Some(hash)))
                .map(|(id, _)| id)
        })
        .await?;
    Ok(found)
}

/// Refuses (`true`) or accepts again the e-mailed code as a second factor.
pub async fn refuse_email_code(
    state: &AppState,
    user: &user::Model,
    refused: bool,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    if refused
        && !account_factors(&state.db, user)
            .await?
            .may_refuse_email_code()
    {
        return refuse(FactorRefusal::StrongFactorRequired);
    }
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::EmailCodeRefused, Expr::value(refused))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    let (change, event) = if refused {
        (FactorChange::EmailCodeRefused, "factor.email_code_refused")
    } else {
        (
            FactorChange::EmailCodeAccepted,
            "factor.email_code_accepted",
        )
    };
    record_change(&txn, state, user, change, event, client_ip, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Refuses the e-mailed code to an account that no longer accepts it (the
/// send and the check both ask); returns what the account has registered,
/// for [`after_email_code_login`].
pub async fn check_email_code_accepted(
    state: &AppState,
    user: &user::Model,
) -> Outcome<AccountFactors> {
    let factors = account_factors(&state.db, user).await?;
    if factors.accepts_email_code() {
        Ok(factors)
    } else {
        refuse(FactorRefusal::EmailCodeRefused)
    }
}

/// After a login through the e-mailed code: a user who has an app or a key
/// is told at the contact address (their mailbox may not be theirs alone).
pub async fn after_email_code_login(
    state: &AppState,
    user: &user::Model,
    factors: &AccountFactors,
    client_ip: &str,
) -> Outcome<()> {
    if !factors.has_strong_factor() {
        return Ok(());
    }
    let now = state.clock.now();
    record_login_notice(
        &state.db,
        state,
        user,
        LoginNotice::EmailCode,
        "login.email_code_fallback",
        client_ip,
        now,
    )
    .await?;
    Ok(())
}
