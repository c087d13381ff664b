//! *Mon compte* (rule P1): saving one field of the account's personal
//! information, checked by the caller (`domain::my_account`). Each save is
//! audited with the field's name (not its value: a biography is the
//! user's own business); a name change refreshes the managers' search key
//! (rule M2).

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user;
use crate::backend::error::Outcome;
use crate::backend::state::AppState;
use crate::backend::structures::members::user_search_key;
use crate::domain::my_account::AccountField;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Stores `value` (already checked) in the owner's `field`.
pub async fn save(
    state: &AppState,
    owner: &user::Model,
    field: AccountField,
    value: Option<String>,
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let column = match field {
        AccountField::LastName => user::Column::LastName,
        AccountField::FirstName => user::Column::FirstName,
        AccountField::Phone => user::Column::Phone,
        AccountField::WorkAddress => user::Column::WorkAddress,
        AccountField::Biography => user::Column::Biography,
    };
    let is_name = matches!(field, AccountField::LastName | AccountField::FirstName);
    // The names are required: the domain's check never answers `None`.
    let value = if is_name {
        Some(value.unwrap_or_default())
    } else {
        value
    };
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .col_expr(column, Expr::value(value))
        .filter(user::Column::Id.eq(owner.id))
        .exec(&txn)
        .await?;
    if is_name {
        // The key is built from the row as this transaction's update left
        // it, not from the session's copy: two tabs changing the last and
        // the first name at once each see the other's committed name (the
        // update above waits for the other's lock).
        if let Some(row) = user::Entity::find_by_id(owner.id).one(&txn).await? {
            let key = user_search_key(&row.last_name, &row.first_name, &row.login_email);
            user::Entity::update_many()
                .col_expr(user::Column::SearchKey, Expr::value(key))
                .filter(user::Column::Id.eq(owner.id))
                .exec(&txn)
                .await?;
        }
    }
    let entry = AuditEntry {
        actor_user_id: Some(owner.id),
        event: "account.details_changed",
        subject: Subject::User(owner.id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "field": format!("{field:?}") }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}
