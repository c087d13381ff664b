//! Login and request hardening (security review of 2026-11-29):
//! - an e-mailed login code belongs to the half-logged-in session that
//!   asked for it (`login_codes.session_id`, the session's hashed id), so a
//!   stranger who knows the password can neither burn nor cancel the
//!   owner's code;
//! - at most one pending attachment request per user and structure, also
//!   when two arrive at once (a partial unique index; SQLite and PostgreSQL
//!   both accept `CREATE UNIQUE INDEX … WHERE`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const PENDING_INDEX: &str = "uq_attachment_requests_pending";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LoginCodes::Table)
                    .add_column(ColumnDef::new(LoginCodes::SessionId).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE UNIQUE INDEX {PENDING_INDEX} ON attachment_requests (user_id, structure_id) \
                 WHERE status = 'pending'"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(PENDING_INDEX)
                    .table(AttachmentRequests::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LoginCodes::Table)
                    .drop_column(LoginCodes::SessionId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LoginCodes {
    Table,
    SessionId,
}

#[derive(DeriveIden)]
enum AttachmentRequests {
    Table,
}
