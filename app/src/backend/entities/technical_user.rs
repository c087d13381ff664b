//! A structure's technical user (rules T1–T3): see the migration
//! `m20261207_000023_technical_users` for what is stored and what is not,
//! and `m20261208_000024_technical_proposals` for the proposed password.

use crate::domain::technical::TechnicalStatus;
use sea_orm::entity::prelude::*;

/// The stored form of [`TechnicalStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StoredStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "inactive")]
    Inactive,
}

impl From<StoredStatus> for TechnicalStatus {
    fn from(status: StoredStatus) -> TechnicalStatus {
        match status {
            StoredStatus::Active => TechnicalStatus::Active,
            StoredStatus::Inactive => TechnicalStatus::Inactive,
        }
    }
}

impl From<TechnicalStatus> for StoredStatus {
    fn from(status: TechnicalStatus) -> StoredStatus {
        match status {
            TechnicalStatus::Active => StoredStatus::Active,
            TechnicalStatus::Inactive => StoredStatus::Inactive,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "technical_users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub structure_id: i32,
    #[sea_orm(unique)]
    pub login: String,
    /// SHA-256 of the password, in hex.
    pub password_hash: String,
    pub status: StoredStatus,
    pub password_set_at: DateTimeUtc,
    pub password_expires_at: DateTimeUtc,
    /// Days before the expiry of the last warning sent for this password.
    pub last_warning_days: Option<i32>,
    pub created_at: DateTimeUtc,
    pub modified_at: DateTimeUtc,
    /// SHA-256 of the password last shown on *Compte technique* and not yet
    /// submitted (migration `m20261208_000024_technical_proposals`).
    pub proposed_hash: Option<String>,
    pub proposed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
