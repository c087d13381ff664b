//! The technical user of a structure (rules T1–T3, issue 17): one per
//! structure at most (the structure is the key), its login, a SHA-256 of
//! its generated password (`domain::technical`: 193 random bits need no
//! slow hash), whether it may call the API, when its password was set and
//! expires, and which expiry warning was last sent for that password.
//!
//! Its contact address is not stored: it is the primary manager's contact
//! address, read when needed, so it follows a transfer or a change of
//! address without anything to keep in step (T1).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TechnicalUsers::Table)
                    .col(integer(TechnicalUsers::StructureId).primary_key())
                    .col(string_len_uniq(TechnicalUsers::Login, 320))
                    .col(string_len(TechnicalUsers::PasswordHash, 64))
                    .col(string_len(TechnicalUsers::Status, 16))
                    .col(timestamp_with_time_zone(TechnicalUsers::PasswordSetAt))
                    .col(timestamp_with_time_zone(TechnicalUsers::PasswordExpiresAt))
                    .col(integer_null(TechnicalUsers::LastWarningDays))
                    .col(timestamp_with_time_zone(TechnicalUsers::CreatedAt))
                    .col(timestamp_with_time_zone(TechnicalUsers::ModifiedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_technical_users_structure")
                            .from(TechnicalUsers::Table, TechnicalUsers::StructureId)
                            .to(Structures::Table, Structures::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TechnicalUsers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TechnicalUsers {
    Table,
    StructureId,
    Login,
    PasswordHash,
    Status,
    PasswordSetAt,
    PasswordExpiresAt,
    LastWarningDays,
    CreatedAt,
    ModifiedAt,
}

#[derive(DeriveIden)]
enum Structures {
    Table,
    Id,
}
