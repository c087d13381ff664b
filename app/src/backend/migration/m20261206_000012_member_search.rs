//! The search key of a user (rule M2: the filter of *Utilisateurs rattachés
//! à la structure*): the last name, first name and login address,
//! upper-case and accent-free (`backend::structures::search_key`), so that
//! *elodie* finds *Élodie* on SQLite as on PostgreSQL, whose `LOWER` and
//! `ILIKE` do not agree on accents. Compared byte by byte (`COLLATE "C"` on
//! PostgreSQL). Written by the application whenever a name or the login
//! address is written.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        let mut def = ColumnDef::new(Users::SearchKey);
        def.string().not_null().default("");
        if postgres {
            def.extra("COLLATE \"C\"");
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(def)
                    .to_owned(),
            )
            .await?;
        // Users created before: a plain upper-case copy (the application
        // writes the accent-free form from now on).
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE users SET search_key = \
                 UPPER(last_name || ' ' || first_name || ' ' || login_email)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SearchKey)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    SearchKey,
}
