//! *Paramétrer vos notifications* (rule P2): the topics an account asked to
//! be notified about (one row per chosen topic, with when it was chosen:
//! a weekly summary covers only weeks that end after that), and the weekly
//! summaries already dealt with, one row per recipient and week. That row
//! is the claim: several server instances may run the weekly pass at once,
//! and only the one whose insert lands writes the e-mail, in the same
//! transaction (so a recipient gets one summary a week, never two, and a
//! pass that fails leaves no claim behind).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NotificationTopics::Table)
                    .col(integer(NotificationTopics::UserId))
                    .col(string_len(NotificationTopics::Topic, 32))
                    .col(timestamp_with_time_zone(NotificationTopics::ChosenAt))
                    .primary_key(
                        Index::create()
                            .col(NotificationTopics::UserId)
                            .col(NotificationTopics::Topic),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_topics_user")
                            .from(NotificationTopics::Table, NotificationTopics::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WeeklySummaries::Table)
                    .col(integer(WeeklySummaries::UserId))
                    .col(string_len(WeeklySummaries::Week, 10))
                    .col(timestamp_with_time_zone(WeeklySummaries::HandledAt))
                    .col(boolean(WeeklySummaries::Sent))
                    .primary_key(
                        Index::create()
                            .col(WeeklySummaries::UserId)
                            .col(WeeklySummaries::Week),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_weekly_summaries_user")
                            .from(WeeklySummaries::Table, WeeklySummaries::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WeeklySummaries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(NotificationTopics::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NotificationTopics {
    Table,
    UserId,
    Topic,
    ChosenAt,
}

#[derive(DeriveIden)]
enum WeeklySummaries {
    Table,
    UserId,
    /// The Monday the week starts on, `YYYY-MM-DD` (UTC).
    Week,
    HandledAt,
    /// Whether an e-mail was written (nothing moved: no e-mail).
    Sent,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
