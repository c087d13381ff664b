//! *Désactiver* / *Réactiver des utilisateurs* (rule M2): a manager
//! suspends a user's access to one structure without removing them. A
//! deactivated membership gives no standing (`backend::authorisations`);
//! the date of the last reactivation is shown in the structure's table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [Memberships::DeactivatedAt, Memberships::ReactivatedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Memberships::Table)
                        .add_column(ColumnDef::new(column).timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Memberships::ReactivatedAt, Memberships::DeactivatedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Memberships::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    DeactivatedAt,
    ReactivatedAt,
}
