//! The audit log read by Support (rule U2): whom and which structure an
//! entry is about, as columns, and an index for each filter of Support's
//! page, each ending in the page's order (newest first: time, then id), so
//! that a filtered page out of a million entries reads only its own rows.
//!
//! Entries written before this migration named their subject in text
//! (`structure:42`, `user:7`, or a bare user id); the columns are filled
//! from it here.

use sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The indexes of Support's filters: (name, leading column).
const INDEXES: [(&str, AuditLog); 4] = [
    ("idx_audit_log_actor_time", AuditLog::ActorUserId),
    ("idx_audit_log_user_time", AuditLog::SubjectUserId),
    ("idx_audit_log_structure_time", AuditLog::StructureId),
    ("idx_audit_log_event_time", AuditLog::Event),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [AuditLog::SubjectUserId, AuditLog::StructureId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .add_column(integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        // `expr` is a user or structure id: 1 to 9 digits, so that the cast
        // neither fails (PostgreSQL) nor overflows.
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let is_id = |expr: &str| {
            if postgres {
                format!("{expr} ~ '^[0-9]{{1,9}}$'")
            } else {
                format!("{expr} NOT GLOB '*[^0-9]*' AND length({expr}) BETWEEN 1 AND 9")
            }
        };
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE audit_log SET subject_user_id = CAST(subject AS INTEGER) WHERE {}",
            is_id("subject")
        ))
        .await?;
        for (prefix, column) in [("user:", "subject_user_id"), ("structure:", "structure_id")] {
            let rest = format!("substr(subject, {})", prefix.len() + 1);
            db.execute_unprepared(&format!(
                "UPDATE audit_log SET {column} = CAST({rest} AS INTEGER) \
                 WHERE subject LIKE '{prefix}%' AND {}",
                is_id(&rest)
            ))
            .await?;
        }
        for old in ["idx_audit_log_actor", "idx_audit_log_occurred"] {
            manager
                .drop_index(Index::drop().name(old).table(AuditLog::Table).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_time")
                    .table(AuditLog::Table)
                    .col(AuditLog::OccurredAt)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        for (name, column) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(column)
                        .col(AuditLog::OccurredAt)
                        .col(AuditLog::Id)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(AuditLog::Table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_audit_log_time")
                    .table(AuditLog::Table)
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_log_occurred", AuditLog::OccurredAt),
            ("idx_audit_log_actor", AuditLog::ActorUserId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [AuditLog::SubjectUserId, AuditLog::StructureId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    OccurredAt,
    ActorUserId,
    Event,
    SubjectUserId,
    StructureId,
}
