//! Schema migrations, applied at start-up. One file per change, named
//! `mYYYYMMDD_NNNNNN_what.rs`, each with `up` and `down`; written with
//! sea-query's portable builders so they run on SQLite and PostgreSQL alike.

use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_login_throttle;
mod m20261122_000003_account_lifecycle;
mod m20261122_000004_auth_factors;
mod m20261122_000005_sirene_directory;
mod m20261122_000006_structures;
mod m20261122_000007_attachments;
mod m20261129_000008_login_hardening;
mod m20261129_000009_recovery_codes;
mod m20261129_000010_session_devices;
mod m20261206_000011_authorisations;
mod m20261206_000012_member_search;
mod m20261206_000013_profile_requests;
mod m20261206_000014_membership_deactivation;
mod m20261206_000015_invitations;
mod m20261206_000016_address_changes;
mod m20261206_000017_account_details;
mod m20261206_000018_notifications;
mod m20261206_000019_profile_photos;
mod m20261206_000020_support_tickets;
mod m20261207_000021_ticket_messages;
mod m20261207_000022_audit_subjects;
mod m20261207_000023_technical_users;
mod m20261208_000024_technical_proposals;
mod m20261208_000025_api_clients;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_login_throttle::Migration),
            Box::new(m20261122_000003_account_lifecycle::Migration),
            Box::new(m20261122_000004_auth_factors::Migration),
            Box::new(m20261122_000005_sirene_directory::Migration),
            Box::new(m20261122_000006_structures::Migration),
            Box::new(m20261122_000007_attachments::Migration),
            Box::new(m20261129_000008_login_hardening::Migration),
            Box::new(m20261129_000009_recovery_codes::Migration),
            Box::new(m20261129_000010_session_devices::Migration),
            Box::new(m20261206_000011_authorisations::Migration),
            Box::new(m20261206_000012_member_search::Migration),
            Box::new(m20261206_000013_profile_requests::Migration),
            Box::new(m20261206_000014_membership_deactivation::Migration),
            Box::new(m20261206_000015_invitations::Migration),
            Box::new(m20261206_000016_address_changes::Migration),
            Box::new(m20261206_000017_account_details::Migration),
            Box::new(m20261206_000018_notifications::Migration),
            Box::new(m20261206_000019_profile_photos::Migration),
            Box::new(m20261206_000020_support_tickets::Migration),
            Box::new(m20261207_000021_ticket_messages::Migration),
            Box::new(m20261207_000022_audit_subjects::Migration),
            Box::new(m20261207_000023_technical_users::Migration),
            Box::new(m20261208_000024_technical_proposals::Migration),
            Box::new(m20261208_000025_api_clients::Migration),
        ]
    }
}
