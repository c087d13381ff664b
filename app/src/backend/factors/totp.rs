//! The authenticator app (rules F2, L3): TOTP per RFC 6238 with totp-rs
//! (SHA-1, 6 digits, 30-second steps: what FreeOTP, Google Authenticator and
//! Microsoft Authenticator all read from the QR code).
//!
//! Enrolment is a two-step state machine: [`Enrolment::new`] draws a secret,
//! which the server function keeps in the session (never in a form field);
//! [`add`] accepts it only with a right code from the app. One step of clock
//! drift either way is tolerated; the step of every accepted code is stored
//! and only a later step is accepted afterwards, so a code works once.

use super::record_change;
use crate::backend::accounts;
use crate::backend::entities::{totp_app, user};
use crate::backend::error::{BackendError, Outcome, refuse};
use crate::backend::guard::Guard;
use crate::backend::mails::FactorChange;
use crate::backend::state::AppState;
use crate::domain::factors::FactorRefusal;
use crate::domain::login::LoginRefusal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    Set, SqlErr, TransactionTrait,
};
use totp_rs::{Builder, Secret, Totp};

/// The TOTP parameters of a secret, labelled for the user's app.
fn totp(state: &AppState, secret_base32: &str, account: &str) -> Result<Totp, BackendError> {
    let secret =
        Secret::try_from_base32(secret_base32).map_err(|e| BackendError::Totp(e.to_string()))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(state.settings.site.product_name.replace(':', "")))
        .build()
        .map_err(|e| BackendError::Totp(e.to_string()))
}

fn unix_seconds(now: DateTime<Utc>) -> u64 {
    u64::try_from(now.timestamp()).unwrap_or(0)
}

/// The step of `code` if it is right at `now` (one step of drift allowed).
fn matching_step(totp: &Totp, code: &str, now: DateTime<Utc>) -> Option<i64> {
    totp.check(code, unix_seconds(now))
        .and_then(|step| i64::try_from(step).ok())
}

/// A secret being enrolled, with what the page shows of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// base32, shown as text for people who cannot scan.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code, a PNG in base64.
    pub qr_png_base64: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment { .. }")
    }
}

impl Enrolment {
    /// A fresh 160-bit secret for `user`.
    pub fn new(state: &AppState, user: &user::Model) -> Result<Enrolment, BackendError> {
        Enrolment::of_secret(state, user, &Secret::generate().to_base32())
    }

    /// What the page shows of an existing enrolment secret.
    pub fn of_secret(
        state: &AppState,
        user: &user::Model,
        secret: &str,
    ) -> Result<Enrolment, BackendError> {
        let totp = totp(state, secret, &user.login_email)?;
        let uri = totp
            .to_url()
            .map_err(|e| BackendError::Totp(e.to_string()))?;
        let qr_png_base64 = totp
            .to_qr_base64()
            .map_err(|e| BackendError::Totp(e.to_string()))?;
        Ok(Enrolment {
            secret: secret.to_owned(),
            uri,
            qr_png_base64,
        })
    }
}

/// The user's app, if any.
pub async fn of_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Option<totp_app::Model>, DbErr> {
    totp_app::Entity::find()
        .filter(totp_app::Column::UserId.eq(user_id))
        .one(conn)
        .await
}

/// *Ajouter l'application*: registers the enrolled secret if `code` is right.
/// The code's step counts as used.
pub async fn add(
    state: &AppState,
    user: &user::Model,
    secret: &str,
    name: &str,
    code: &str,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    if of_user(&state.db, user.id).await?.is_some() {
        return refuse(FactorRefusal::TotpAlreadyExists);
    }
    let guard = Guard::new(&user.login_email, Some(user.id), client_ip);
    let _verifying = guard.reserve(state).await?;
    let Some(step) = matching_step(&totp(state, secret, &user.login_email)?, code, now) else {
        guard.failed(state).await?;
        return refuse(LoginRefusal::CodeWrong);
    };
    guard.succeeded(&state.db).await?;
    let txn = state.db.begin().await?;
    let inserted = totp_app::ActiveModel {
        user_id: Set(user.id),
        name: Set(name.to_owned()),
        secret: Set(secret.to_owned()),
        last_used_step: Set(Some(step)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        // Two tabs adding at once: the unique user id lets one win.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return refuse(FactorRefusal::TotpAlreadyExists);
        }
        Err(e) => return Err(e.into()),
    }
    record_change(
        &txn,
        state,
        user,
        FactorChange::TotpAdded(name.to_owned()),
        "factor.app_added",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes the user's app (the trash icon); `false` if there was none.
pub async fn remove(state: &AppState, user: &user::Model, client_ip: &str) -> Outcome<bool> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let Some(app) = of_user(&txn, user.id).await? else {
        return Ok(false);
    };
    let deleted = totp_app::Entity::delete_many()
        .filter(totp_app::Column::Id.eq(app.id))
        .filter(totp_app::Column::UserId.eq(user.id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected != 1 {
        return Ok(false);
    }
    record_change(
        &txn,
        state,
        user,
        FactorChange::TotpRemoved(app.name),
        "factor.app_removed",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The login step with the app's code: right, within the drift, for a step
/// later than any accepted before, within the attempts.
pub async fn verify_login(
    state: &AppState,
    user: &user::Model,
    code: &str,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let db = &state.db;
    let user_id = user.id;
    let Some(app) = of_user(db, user_id).await? else {
        return refuse(FactorRefusal::NoTotp);
    };
    let guard = Guard::new(&user.login_email, Some(user_id), client_ip);
    let _verifying = guard.reserve(state).await?;
    let step = matching_step(&totp(state, &app.secret, &user.login_email)?, code, now);
    // Accepting the step is one conditional update: a replayed code, or the
    // same code sent twice at once, finds the step already taken.
    let accepted = match step {
        Some(step) => {
            totp_app::Entity::update_many()
                .col_expr(totp_app::Column::LastUsedStep, Expr::value(Some(step)))
                .filter(totp_app::Column::Id.eq(app.id))
                .filter(
                    Condition::any()
                        .add(totp_app::Column::LastUsedStep.is_null())
                        .add(totp_app::Column::LastUsedStep.lt(step)),
                )
                .exec(db)
                .await?
                .rows_affected
                == 1
        }
        None => false,
    };
    if !accepted {
        guard.failed(state).await?;
        accounts::log_event(db, "login.app_code_failed", user_id, client_ip, now).await?;
        return refuse(LoginRefusal::CodeWrong);
    }
    guard.succeeded(db).await?;
    accounts::record_login(db, user_id, "login.succeeded_app", client_ip, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_with_one_step_of_drift() {
        let secret = Secret::generate().to_base32();
        let totp = Builder::new()
            .with_secret(Secret::try_from_base32(&secret).unwrap())
            .with_account_name("a@b.fr")
            .build()
            .unwrap();
        let now = DateTime::<Utc>::from_timestamp(1_800_000_015, 0).unwrap();
        let step = 1_800_000_015 / 30;
        let code_at = |seconds: i64| totp.generate(u64::try_from(seconds).unwrap()).to_string();
        assert_eq!(
            matching_step(&totp, &code_at(1_800_000_015), now),
            Some(step)
        );
        assert_eq!(
            matching_step(&totp, &code_at(1_800_000_015 - 30), now),
            Some(step - 1)
        );
        assert_eq!(
            matching_step(&totp, &code_at(1_800_000_015 + 30), now),
            Some(step + 1)
        );
        assert_eq!(
            matching_step(&totp, &code_at(1_800_000_015 - 60), now),
            None
        );
        assert_eq!(
            matching_step(&totp, &code_at(1_800_000_015 + 60), now),
            None
        );
        assert_eq!(matching_step(&totp, "abcdef", now), None);
    }
}
