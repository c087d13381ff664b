//! Attachment requests and service-level attachments (rules S5–S8), and the
//! search keys of *Demander un rattachement*.
//!
//! A membership without `membership_services` rows covers the whole
//! structure; with rows, only those services. The search keys are
//! upper-case, accent-free copies of the name and the identifier, compared
//! byte by byte (`COLLATE "C"` on PostgreSQL, SQLite's default BINARY) so
//! that a prefix search is an index range scan on both databases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        for (column, index) in [
            (Structures::NameKey, "idx_structures_name_key"),
            (Structures::IdentifierKey, "idx_structures_identifier_key"),
        ] {
            let mut def = ColumnDef::new(column);
            def.string().not_null().default("");
            if postgres {
                def.extra("COLLATE \"C\"");
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(Structures::Table)
                        .add_column(def)
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(index)
                        .table(Structures::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // Structures created before this migration: a plain upper-case copy
        // (the application writes the accent-free form from now on).
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "UPDATE structures SET name_key = UPPER(name), identifier_key = UPPER(identifier)",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttachmentRequests::Table)
                    .col(pk_auto(AttachmentRequests::Id))
                    .col(integer(AttachmentRequests::StructureId))
                    .col(integer(AttachmentRequests::UserId))
                    .col(text(AttachmentRequests::Comment))
                    .col(boolean(AttachmentRequests::ServiceLevel))
                    .col(string_len(AttachmentRequests::Status, 16))
                    .col(text_null(AttachmentRequests::Reason))
                    .col(integer_null(AttachmentRequests::DecidedBy))
                    .col(timestamp_with_time_zone(AttachmentRequests::CreatedAt))
                    .col(timestamp_with_time_zone_null(AttachmentRequests::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_structure")
                            .from(AttachmentRequests::Table, AttachmentRequests::StructureId)
                            .to(Structures::Table, Structures::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_user")
                            .from(AttachmentRequests::Table, AttachmentRequests::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_decider")
                            .from(AttachmentRequests::Table, AttachmentRequests::DecidedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The requester's history, and a structure's pending requests.
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_user")
                    .table(AttachmentRequests::Table)
                    .col(AttachmentRequests::UserId)
                    .col(AttachmentRequests::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_structure_status")
                    .table(AttachmentRequests::Table)
                    .col(AttachmentRequests::StructureId)
                    .col(AttachmentRequests::Status)
                    .to_owned(),
            )
            .await?;

        link_table(
            manager,
            RequestServices::Table,
            RequestServices::RequestId,
            AttachmentRequests::Table,
            "request",
        )
        .await?;
        link_table(
            manager,
            MembershipServices::Table,
            MembershipServices::MembershipId,
            Memberships::Table,
            "membership",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MembershipServices::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RequestServices::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AttachmentRequests::Table).to_owned())
            .await?;
        for (column, index) in [
            (Structures::NameKey, "idx_structures_name_key"),
            (Structures::IdentifierKey, "idx_structures_identifier_key"),
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(index)
                        .table(Structures::Table)
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Structures::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// A table linking `owner` rows (a request, a membership) to services, one
/// row per pair, both sides deleted in cascade.
async fn link_table<T: IntoIden + Copy + 'static, O: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    owner_column: T,
    owner_table: O,
    name: &str,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(table)
                .col(integer(owner_column))
                .col(integer(Link::ServiceId))
                .primary_key(Index::create().col(owner_column).col(Link::ServiceId))
                .foreign_key(
                    ForeignKey::create()
                        .name(format!("fk_{name}_services_owner"))
                        .from(table, owner_column)
                        .to(owner_table, Link::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name(format!("fk_{name}_services_service"))
                        .from(table, Link::ServiceId)
                        .to(Services::Table, Services::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Structures {
    Table,
    Id,
    NameKey,
    IdentifierKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum Memberships {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Services {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Link {
    Id,
    ServiceId,
}

#[derive(DeriveIden, Clone, Copy)]
enum AttachmentRequests {
    Table,
    Id,
    StructureId,
    UserId,
    Comment,
    ServiceLevel,
    Status,
    Reason,
    DecidedBy,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RequestServices {
    #[sea_orm(iden = "attachment_request_services")]
    Table,
    RequestId,
}

#[derive(DeriveIden, Clone, Copy)]
enum MembershipServices {
    Table,
    MembershipId,
}
