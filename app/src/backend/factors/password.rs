//! *Changer mon mot de passe* (rule F1): the current password, then the new
//! one under policy A4; the user's other sessions end.

use super::{FactorError, record_change};
use crate::backend::accounts::{self, LoginDenied};
use crate::backend::entities::user;
use crate::backend::mails::FactorChange;
use crate::backend::sessions;
use crate::backend::state::AppState;
use crate::domain::password::{self, Criterion};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Why the password was not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeDenied {
    /// The current password is wrong (counted like a failed login).
    WrongCurrent,
    Locked(chrono::DateTime<chrono::Utc>),
    Weak(Vec<Criterion>),
}

/// Changes the password of `user`; every session but `keep_session` ends.
pub async fn change_password(
    state: &AppState,
    user: &user::Model,
    current: &str,
    new_password: &str,
    keep_session: &str,
    client_ip: &str,
) -> Result<Result<(), ChangeDenied>, FactorError> {
    let report = password::check(new_password);
    if !report.is_acceptable() {
        return Ok(Err(ChangeDenied::Weak(report.unmet())));
    }
    match accounts::check_password(state, &user.login_email, current, client_ip).await? {
        Ok(_) => {}
        Err(LoginDenied::BadCredentials) => return Ok(Err(ChangeDenied::WrongCurrent)),
        Err(LoginDenied::Locked { until }) => return Ok(Err(ChangeDenied::Locked(until))),
    }
    let passwords = state.passwords.clone();
    let plain = new_password.to_owned();
    let hash = tokio::task::spawn_blocking(move || passwords.hash(&plain))
        .await
        .map_err(|e| FactorError::Hash(e.to_string()))?
        .map_err(|e| FactorError::Hash(e.to_string()))?;

    let now = state.clock.now();
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(Some(hash)))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    sessions::destroy_all_of_user(&txn, user.id, Some(keep_session)).await?;
    record_change(&txn, state, user, FactorChange::Password, "factor.password_changed", client_ip, now)
        .await?;
    txn.commit().await?;
    Ok(Ok(()))
}
