//! *Mon compte* (rule P1): saving one field of the account's personal
//! information, checked by the caller (`domain::my_account`). Each save is
//! audited with the field's name (not its value: a biography is the
//! user's own business); a name change refreshes the managers' search key
//! (rule M2).

use crate::backend::audit::{self, AuditEntry};
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
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(owner.id));
    update = match (field, value) {
        // The names are required: the domain's check never answers `None`.
        (AccountField::LastName | AccountField::FirstName, value) => {
            let name = value.unwrap_or_default();
            let (last, first) = if field == AccountField::LastName {
                (name.as_str(), owner.first_name.as_str())
            } else {
                (owner.last_name.as_str(), name.as_str())
            };
            let key = user_search_key(last, first, &owner.login_email);
            update
                .col_expr(user::Column::SearchKey, Expr::value(key))
                .col_expr(column, Expr::value(name))
        }
        (_, value) => update.col_expr(column, Expr::value(value)),
    };
    let txn = state.db.begin().await?;
    update.exec(&txn).await?;
    let entry = AuditEntry {
        actor_user_id: Some(owner.id),
        event: "account.details_changed",
        subject: Some(owner.id.to_string()),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "field": format!("{field:?}") }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}
