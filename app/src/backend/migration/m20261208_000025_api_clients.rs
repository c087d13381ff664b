//! The API's OAuth clients and their access tokens (T4, issue 17).
//!
//! A client belongs to one structure: its primary manager creates it for
//! the structure's software, sees its secret once, and may revoke it. Its
//! id is public; its secret, generated like the technical password, is kept
//! as a SHA-256 only. A revoked client keeps its line (its dates stay
//! readable) and gets no more tokens.
//!
//! An access token (OAuth 2.0 client credentials, RFC 6749 §4.4) is kept as
//! its SHA-256 too, with its client and its expiry: a call costs one lookup
//! by primary key. Revoking a client deletes its tokens with it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    .col(pk_auto(ApiClients::Id))
                    .col(integer(ApiClients::StructureId))
                    .col(string_len_uniq(ApiClients::ClientId, 32))
                    .col(string_len(ApiClients::SecretHash, 64))
                    .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_clients_structure")
                            .from(ApiClients::Table, ApiClients::StructureId)
                            .to(Structures::Table, Structures::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_clients_structure")
                    .table(ApiClients::Table)
                    .col(ApiClients::StructureId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(string_len(ApiTokens::TokenHash, 64).primary_key())
                    .col(integer(ApiTokens::ClientId))
                    .col(integer(ApiTokens::StructureId))
                    .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_client")
                            .from(ApiTokens::Table, ApiTokens::ClientId)
                            .to(ApiClients::Table, ApiClients::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_tokens_expires_at")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ApiClients::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    StructureId,
    ClientId,
    SecretHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    TokenHash,
    ClientId,
    StructureId,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Structures {
    Table,
    Id,
}
