//! Address changes waiting for confirmation: the login address (rule P6)
//! and the contact address (rule P1). The new address, and the hash of the
//! link's token e-mailed to it. One row per account and kind (the primary
//! key), so a second request while one is pending cannot slip in beside
//! it, even when both arrive at once. A used
//! or expired request stays (its link is told "already used" or "expired")
//! until the next request replaces it or the housekeeping removes it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AddressChanges::Table)
                    .col(integer(AddressChanges::UserId))
                    .col(string_len(AddressChanges::Kind, 16))
                    .col(string_len(AddressChanges::NewAddress, 254))
                    .col(string_len(AddressChanges::TokenHash, 64))
                    .col(timestamp_with_time_zone(AddressChanges::CreatedAt))
                    .col(timestamp_with_time_zone(AddressChanges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AddressChanges::ConfirmedAt))
                    .primary_key(
                        Index::create()
                            .col(AddressChanges::UserId)
                            .col(AddressChanges::Kind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_address_changes_user")
                            .from(AddressChanges::Table, AddressChanges::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_address_changes_token")
                    .table(AddressChanges::Table)
                    .col(AddressChanges::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AddressChanges::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AddressChanges {
    Table,
    UserId,
    Kind,
    NewAddress,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
