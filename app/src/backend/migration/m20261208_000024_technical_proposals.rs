//! A password proposed on *Compte technique* (T3): the seeds show the new
//! password before *Soumettre* and apply it only on *Soumettre*. The server
//! keeps a SHA-256 of the password it showed, and when, so that *Soumettre*
//! can only put in force a password the server generated for this
//! structure, recently, and not one the browser chose. The password in
//! force stays the old one until then.
//!
//! Two columns added one at a time: SQLite alters one column a statement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TechnicalUsers::Table)
                    .add_column(string_len_null(TechnicalUsers::ProposedHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TechnicalUsers::Table)
                    .add_column(timestamp_with_time_zone_null(TechnicalUsers::ProposedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [TechnicalUsers::ProposedAt, TechnicalUsers::ProposedHash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TechnicalUsers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TechnicalUsers {
    Table,
    ProposedHash,
    ProposedAt,
}
