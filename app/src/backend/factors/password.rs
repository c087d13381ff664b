//! *Changer mon mot de passe* (rule F1): the current password, then the new
//! one under policy A4; the user's other sessions end.

use super::record_change;
use crate::backend::accounts;
use crate::backend::entities::user;
use crate::backend::error::{BackendError, Outcome, refuse};
use crate::backend::mails::FactorChange;
use crate::backend::sessions;
use crate::backend::state::AppState;
use crate::domain::factors::FactorRefusal;
use crate::domain::login::LoginRefusal;
use crate::domain::password::{self, PersonalData};
use crate::domain::refusal::Refusal;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Changes the password of `user`; every session but `keep_session` ends.
/// A wrong current password is counted like a failed login.
pub async fn change_password(
    state: &AppState,
    user: &user::Model,
    current: &str,
    new_password: &str,
    keep_session: &str,
    client_ip: &str,
) -> Outcome<()> {
    let personal = PersonalData::new(&user.first_name, &user.last_name, &user.login_email);
    let new_password = password::accept(new_password, &personal).map_err(Refusal::WeakPassword)?;
    match accounts::check_password(state, &user.login_email, current, client_ip).await {
        Err(BackendError::Refused(Refusal::Login(LoginRefusal::BadCredentials))) => {
            return refuse(FactorRefusal::WrongCurrentPassword);
        }
        checked => checked.map(drop)?,
    }
    let hash = state.passwords.hash(new_password).await??;

    let now = state.clock.now();
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(Some(hash)))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    sessions::destroy_all_of_user(&txn, user.id, Some(keep_session)).await?;
    record_change(
        &txn,
        state,
        user,
        FactorChange::Password,
        "factor.password_changed",
        client_ip,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
