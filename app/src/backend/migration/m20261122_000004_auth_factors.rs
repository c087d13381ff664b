//! Authentication factors (rules F2, F3, L3): the authenticator app of an
//! account (one at most: a unique user id), its security keys, and the
//! WebAuthn ceremonies in progress, whose state stays on the server.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn owned_by_user(
    table: impl IntoIden + Copy + 'static,
    column: impl IntoIden + 'static,
    name: &str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TotpApps::Table)
                    .col(pk_auto(TotpApps::Id))
                    // One application per account (rule F2), enforced here too.
                    .col(integer_uniq(TotpApps::UserId))
                    .col(string_len(TotpApps::Name, 80))
                    .col(string(TotpApps::Secret))
                    .col(big_integer_null(TotpApps::LastUsedStep))
                    .col(timestamp_with_time_zone(TotpApps::CreatedAt))
                    .foreign_key(&mut owned_by_user(
                        TotpApps::Table,
                        TotpApps::UserId,
                        "fk_totp_apps_user",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SecurityKeys::Table)
                    .col(pk_auto(SecurityKeys::Id))
                    .col(integer(SecurityKeys::UserId))
                    .col(string_len(SecurityKeys::Name, 80))
                    .col(string_uniq(SecurityKeys::CredentialId))
                    .col(text(SecurityKeys::Credential))
                    .col(timestamp_with_time_zone(SecurityKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(SecurityKeys::LastUsedAt))
                    .foreign_key(&mut owned_by_user(
                        SecurityKeys::Table,
                        SecurityKeys::UserId,
                        "fk_security_keys_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_security_keys_user")
                    .table(SecurityKeys::Table)
                    .col(SecurityKeys::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebauthnCeremonies::Table)
                    .col(pk_auto(WebauthnCeremonies::Id))
                    .col(string(WebauthnCeremonies::SessionId))
                    .col(integer(WebauthnCeremonies::UserId))
                    .col(string_len(WebauthnCeremonies::Purpose, 16))
                    .col(text(WebauthnCeremonies::State))
                    .col(timestamp_with_time_zone(WebauthnCeremonies::ExpiresAt))
                    .foreign_key(&mut owned_by_user(
                        WebauthnCeremonies::Table,
                        WebauthnCeremonies::UserId,
                        "fk_webauthn_ceremonies_user",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webauthn_ceremonies_session")
                    .table(WebauthnCeremonies::Table)
                    .col(WebauthnCeremonies::SessionId)
                    .col(WebauthnCeremonies::Purpose)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebauthnCeremonies::Table.into_iden(),
            SecurityKeys::Table.into_iden(),
            TotpApps::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum TotpApps {
    Table,
    Id,
    UserId,
    Name,
    Secret,
    LastUsedStep,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SecurityKeys {
    Table,
    Id,
    UserId,
    Name,
    CredentialId,
    Credential,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebauthnCeremonies {
    Table,
    Id,
    SessionId,
    UserId,
    Purpose,
    State,
    ExpiresAt,
}
