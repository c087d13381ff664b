//! *Paramétrer vos notifications* (rule P2): the topics an account chose,
//! and ([`summary`]) the weekly summary of the movements of the structures
//! its owner manages.

pub mod summary;

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::notification_topic;
use crate::backend::error::Outcome;
use crate::backend::state::AppState;
use crate::domain::notifications::Topic;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, TransactionTrait,
};

/// The topics `user_id` chose, in [`Topic::ALL`]'s order.
pub async fn topics<C: ConnectionTrait>(conn: &C, user_id: i32) -> Result<Vec<Topic>, DbErr> {
    let rows = notification_topic::Entity::find()
        .filter(notification_topic::Column::UserId.eq(user_id))
        .all(conn)
        .await?;
    Ok(Topic::ALL
        .into_iter()
        .filter(|topic| rows.iter().any(|row| row.topic == topic.code()))
        .collect())
}

/// *Enregistrer*: the account's topics become `chosen`. A topic kept keeps
/// the time it was first chosen (a weekly summary covers the weeks that end
/// after it); two saves at once leave one of the two choices, whole
/// enough: every statement is idempotent.
pub async fn save(
    state: &AppState,
    user_id: i32,
    chosen: &[Topic],
    client_ip: &str,
) -> Outcome<()> {
    let now = state.clock.now();
    let codes: Vec<&str> = chosen.iter().map(|topic| topic.code()).collect();
    let txn = state.db.begin().await?;
    notification_topic::Entity::delete_many()
        .filter(notification_topic::Column::UserId.eq(user_id))
        .filter(notification_topic::Column::Topic.is_not_in(codes.clone()))
        .exec(&txn)
        .await?;
    for code in &codes {
        let row = notification_topic::ActiveModel {
            user_id: Set(user_id),
            topic: Set((*code).to_owned()),
            chosen_at: Set(now),
        };
        notification_topic::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    notification_topic::Column::UserId,
                    notification_topic::Column::Topic,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let entry = AuditEntry {
        actor_user_id: Some(user_id),
        event: "account.notifications_changed",
        subject: Subject::User(user_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({ "topics": codes }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}
