//! Requests for a profile (rule H4): a member asking for more than they
//! hold on one application, decided by a manager of the structure, shown in
//! *Historique de mes demandes* beside attachment requests (rule S7). A
//! request lives on the membership: leaving the structure takes it away.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProfileRequests::Table)
                    .col(pk_auto(ProfileRequests::Id))
                    .col(integer(ProfileRequests::MembershipId))
                    .col(string_len(ProfileRequests::ApplicationCode, 40))
                    .col(string_len(ProfileRequests::Level, 16))
                    .col(string_len(ProfileRequests::Status, 16))
                    .col(integer_null(ProfileRequests::DecidedBy))
                    .col(timestamp_with_time_zone(ProfileRequests::CreatedAt))
                    .col(timestamp_with_time_zone_null(ProfileRequests::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_requests_membership")
                            .from(ProfileRequests::Table, ProfileRequests::MembershipId)
                            .to(Memberships::Table, Memberships::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_requests_application")
                            .from(ProfileRequests::Table, ProfileRequests::ApplicationCode)
                            .to(Applications::Table, Applications::Code)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_requests_decider")
                            .from(ProfileRequests::Table, ProfileRequests::DecidedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_profile_requests_membership_status")
                    .table(ProfileRequests::Table)
                    .col(ProfileRequests::MembershipId)
                    .col(ProfileRequests::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProfileRequests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProfileRequests {
    Table,
    Id,
    MembershipId,
    ApplicationCode,
    Level,
    Status,
    DecidedBy,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
