//! Support tickets (rule U1): what a visitor or a user sent from *Nous
//! contacter*, where Support answers (`reply_email`), the login address
//! concerned when the situation asks for it, and the ticket's status
//! (`domain::tickets::TicketStatus`). The sender's account, when they were
//! logged in, is kept for Support (and nulled if the account goes). Indexed
//! for the queue: by status and situation, newest first.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SupportTickets::Table)
                    .col(pk_auto(SupportTickets::Id))
                    .col(string_len(SupportTickets::Situation, 32))
                    .col(string_len(SupportTickets::Status, 16))
                    .col(string_len(SupportTickets::ReplyEmail, 254))
                    .col(string_len_null(SupportTickets::LoginAddress, 254))
                    .col(text(SupportTickets::Description))
                    .col(integer_null(SupportTickets::UserId))
                    .col(string_len_null(SupportTickets::Language, 8))
                    .col(timestamp_with_time_zone(SupportTickets::CreatedAt))
                    .col(timestamp_with_time_zone(SupportTickets::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_tickets_user")
                            .from(SupportTickets::Table, SupportTickets::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_support_tickets_queue")
                    .table(SupportTickets::Table)
                    .col(SupportTickets::Status)
                    .col(SupportTickets::Situation)
                    .col(SupportTickets::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SupportTickets::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SupportTickets {
    Table,
    Id,
    Situation,
    Status,
    ReplyEmail,
    LoginAddress,
    Description,
    UserId,
    /// The sender's language when they sent it: the e-mails to them use it.
    Language,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
