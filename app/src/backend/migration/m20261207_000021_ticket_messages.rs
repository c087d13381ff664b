//! The thread of a support ticket (rule U2): Support's replies, each e-mailed
//! to the ticket's address and kept here with who wrote it (the agent's
//! account, nulled if it goes; the audit log keeps the act). Read in order
//! for one ticket, hence the index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TicketMessages::Table)
                    .col(pk_auto(TicketMessages::Id))
                    .col(integer(TicketMessages::TicketId))
                    .col(integer_null(TicketMessages::AuthorUserId))
                    .col(text(TicketMessages::Body))
                    .col(timestamp_with_time_zone(TicketMessages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_messages_ticket")
                            .from(TicketMessages::Table, TicketMessages::TicketId)
                            .to(SupportTickets::Table, SupportTickets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_messages_author")
                            .from(TicketMessages::Table, TicketMessages::AuthorUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ticket_messages_thread")
                    .table(TicketMessages::Table)
                    .col(TicketMessages::TicketId)
                    .col(TicketMessages::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TicketMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TicketMessages {
    Table,
    Id,
    TicketId,
    AuthorUserId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SupportTickets {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
