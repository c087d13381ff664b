//! Structures and who belongs to them (rules S1, S3, S4, S9, M1): one
//! structure per identifier (a unique index on type and identifier), users
//! attached with a role, and the structure's services.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Structures::Table)
                    .col(pk_auto(Structures::Id))
                    .col(string_len(Structures::IdentifierType, 16))
                    .col(string_len(Structures::Identifier, 80))
                    .col(string(Structures::Name))
                    .col(string_null(Structures::Label))
                    .col(string_null(Structures::Email))
                    .col(string_null(Structures::Phone))
                    .col(boolean(Structures::NonDiffusible))
                    .col(string_null(Structures::AddressComplement))
                    .col(string_null(Structures::Street))
                    .col(string_null(Structures::PostalCode))
                    .col(string_null(Structures::City))
                    .col(string_null(Structures::Country))
                    .col(string_len(Structures::Status, 24))
                    .col(integer(Structures::CreatedBy))
                    .col(timestamp_with_time_zone(Structures::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_structures_creator")
                            .from(Structures::Table, Structures::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_structures_identifier")
                    .table(Structures::Table)
                    .col(Structures::IdentifierType)
                    .col(Structures::Identifier)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_structures_name")
                    .table(Structures::Table)
                    .col(Structures::Name)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(pk_auto(Memberships::Id))
                    .col(integer(Memberships::StructureId))
                    .col(integer(Memberships::UserId))
                    .col(string_len(Memberships::Role, 24))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_structure")
                            .from(Memberships::Table, Memberships::StructureId)
                            .to(Structures::Table, Structures::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_user")
                            .from(Memberships::Table, Memberships::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_memberships_structure_user")
                    .table(Memberships::Table)
                    .col(Memberships::StructureId)
                    .col(Memberships::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_memberships_user")
                    .table(Memberships::Table)
                    .col(Memberships::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Services::Table)
                    .col(pk_auto(Services::Id))
                    .col(integer(Services::StructureId))
                    .col(string_len(Services::Code, 40))
                    .col(string(Services::Label))
                    .col(boolean(Services::Active))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_services_structure")
                            .from(Services::Table, Services::StructureId)
                            .to(Structures::Table, Structures::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_services_structure_code")
                    .table(Services::Table)
                    .col(Services::StructureId)
                    .col(Services::Code)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Services::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Memberships::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Structures::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Structures {
    Table,
    Id,
    IdentifierType,
    Identifier,
    Name,
    Label,
    Email,
    Phone,
    NonDiffusible,
    AddressComplement,
    Street,
    PostalCode,
    City,
    Country,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    StructureId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
    StructureId,
    Code,
    Label,
    Active,
}
