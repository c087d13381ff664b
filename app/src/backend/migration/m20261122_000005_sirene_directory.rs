//! INSEE's SIRENE directory (rule S3): legal units and establishments, as
//! imported from the stock files. Searched by SIREN (establishments of a
//! unit) and by name (type-ahead of *Demander un rattachement*).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SireneUnits::Table)
                    .col(string_len(SireneUnits::Siren, 9).primary_key())
                    .col(string(SireneUnits::Name))
                    .col(string_len(SireneUnits::LegalCategory, 4))
                    .col(boolean(SireneUnits::Active))
                    .col(boolean(SireneUnits::Diffusible))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SireneEstablishments::Table)
                    .col(string_len(SireneEstablishments::Siret, 14).primary_key())
                    .col(string_len(SireneEstablishments::Siren, 9))
                    .col(boolean(SireneEstablishments::HeadOffice))
                    .col(boolean(SireneEstablishments::Active))
                    .col(boolean(SireneEstablishments::Diffusible))
                    .col(string_null(SireneEstablishments::Name))
                    .col(string_null(SireneEstablishments::AddressComplement))
                    .col(string_null(SireneEstablishments::Street))
                    .col(string_null(SireneEstablishments::PostalCode))
                    .col(string_null(SireneEstablishments::City))
                    .col(string_null(SireneEstablishments::Country))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sirene_establishments_siren")
                    .table(SireneEstablishments::Table)
                    .col(SireneEstablishments::Siren)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SireneEstablishments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SireneUnits::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SireneUnits {
    Table,
    Siren,
    Name,
    LegalCategory,
    Active,
    Diffusible,
}

#[derive(DeriveIden)]
enum SireneEstablishments {
    Table,
    Siret,
    Siren,
    HeadOffice,
    Active,
    Diffusible,
    Name,
    AddressComplement,
    Street,
    PostalCode,
    City,
    Country,
}
