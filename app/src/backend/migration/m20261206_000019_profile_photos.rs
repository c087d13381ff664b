//! The profile photo of *Mon compte* (rule P1): at most one per account,
//! the JPEG the server made from the upload (never the uploaded file),
//! with its size and when it was saved (the page asks for it by that time,
//! so a new photo is fetched at once). In its own table: the account's row
//! is read on every request (the session's user), the photo only when
//! shown.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProfilePhotos::Table)
                    .col(integer(ProfilePhotos::UserId).primary_key())
                    .col(blob(ProfilePhotos::Jpeg))
                    .col(integer(ProfilePhotos::Width))
                    .col(integer(ProfilePhotos::Height))
                    .col(timestamp_with_time_zone(ProfilePhotos::SavedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_photos_user")
                            .from(ProfilePhotos::Table, ProfilePhotos::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProfilePhotos::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProfilePhotos {
    Table,
    UserId,
    Jpeg,
    Width,
    Height,
    SavedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
