//! Account lifecycle (rules A2–A5, L2, L4): one-time link tokens, e-mailed
//! login codes and captcha challenges, all stored as hashes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserTokens::Table)
                    .col(pk_auto(UserTokens::Id))
                    .col(integer(UserTokens::UserId))
                    .col(string_len(UserTokens::Purpose, 16))
                    .col(string_uniq(UserTokens::TokenHash))
                    .col(timestamp_with_time_zone(UserTokens::CreatedAt))
                    .col(timestamp_with_time_zone(UserTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(UserTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_tokens_user")
                            .from(UserTokens::Table, UserTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_tokens_user")
                    .table(UserTokens::Table)
                    .col(UserTokens::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginCodes::Table)
                    .col(pk_auto(LoginCodes::Id))
                    .col(integer(LoginCodes::UserId))
                    .col(string(LoginCodes::CodeHash))
                    .col(integer(LoginCodes::Attempts).default(0))
                    .col(timestamp_with_time_zone(LoginCodes::CreatedAt))
                    .col(timestamp_with_time_zone(LoginCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(LoginCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_login_codes_user")
                            .from(LoginCodes::Table, LoginCodes::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_codes_user")
                    .table(LoginCodes::Table)
                    .col(LoginCodes::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaptchaChallenges::Table)
                    .col(string(CaptchaChallenges::Id).primary_key())
                    .col(integer(CaptchaChallenges::Bits))
                    .col(timestamp_with_time_zone(CaptchaChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(CaptchaChallenges::UsedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CaptchaChallenges::Table.into_iden(),
            LoginCodes::Table.into_iden(),
            UserTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UserTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    Attempts,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum CaptchaChallenges {
    Table,
    Id,
    Bits,
    ExpiresAt,
    UsedAt,
}
