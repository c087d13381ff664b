//! The application catalogue and the profiles (rules H1–H3, H5).
//!
//! The catalogue is data: `application_domains` and `applications`, with
//! their labels in both languages, so a new application is one row (a
//! migration like this one), never a code change. The first rows come from
//! the seeds and the platform's public descriptions.
//!
//! A profile is an application and a level held on a membership
//! (`profiles`, one row per membership and application). A membership
//! narrowed to services narrows its profiles to the same services: the
//! levels are the same on each of those services (a decision, written in
//! `domain::authorisations`).
//!
//! Existing memberships get the default profiles (H3): every application at
//! *modification*, *Organisation* at *consultation* except for the primary
//! manager and any membership whose role said *manager*. That role value
//! goes: *Organisation modification* is what makes a manager (H5).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(code, fr, en)` of each domain, in display order.
const DOMAINS: &[(&str, &str, &str)] = &[
    ("facturation", "Facturation", "Invoicing"),
    ("engagements", "Engagements", "Commitments"),
    (
        "certificats",
        "Certificats de cessibilité",
        "Certificates of transferability",
    ),
    ("sollicitations", "Sollicitations", "Requests"),
    ("organisation", "Organisation", "Organisation"),
    ("raccordements", "Raccordements", "Connections"),
];

/// `(code, domain, fr, en)` of each application, in display order.
const APPLICATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "factures_emises",
        "facturation",
        "Factures émises",
        "Issued invoices",
    ),
    (
        "factures_recues",
        "facturation",
        "Factures reçues",
        "Received invoices",
    ),
    (
        "factures_travaux",
        "facturation",
        "Factures de travaux",
        "Works invoices",
    ),
    (
        "memoires_justice",
        "facturation",
        "Mémoires de frais de justice",
        "Legal expenses statements",
    ),
    ("engagements", "engagements", "Engagements", "Commitments"),
    (
        "certificats_cessibilite",
        "certificats",
        "Certificats de cessibilité",
        "Certificates of transferability",
    ),
    (
        "sollicitations_emises",
        "sollicitations",
        "Sollicitations émises",
        "Issued requests",
    ),
    (
        "organisation",
        "organisation",
        "Organisation",
        "Organisation",
    ),
    (
        "compte_technique",
        "raccordements",
        "Compte technique",
        "Technical account",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApplicationDomains::Table)
                    .col(string_len(ApplicationDomains::Code, 40).primary_key())
                    .col(integer(ApplicationDomains::Position))
                    .col(string_len(ApplicationDomains::LabelFr, 120))
                    .col(string_len(ApplicationDomains::LabelEn, 120))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(string_len(Applications::Code, 40).primary_key())
                    .col(string_len(Applications::DomainCode, 40))
                    .col(integer(Applications::Position))
                    .col(string_len(Applications::LabelFr, 120))
                    .col(string_len(Applications::LabelEn, 120))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_domain")
                            .from(Applications::Table, Applications::DomainCode)
                            .to(ApplicationDomains::Table, ApplicationDomains::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Profiles::Table)
                    .col(integer(Profiles::MembershipId))
                    .col(string_len(Profiles::ApplicationCode, 40))
                    .col(string_len(Profiles::Level, 16))
                    .col(timestamp_with_time_zone(Profiles::GrantedAt))
                    .primary_key(
                        Index::create()
                            .col(Profiles::MembershipId)
                            .col(Profiles::ApplicationCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profiles_membership")
                            .from(Profiles::Table, Profiles::MembershipId)
                            .to(Memberships::Table, Memberships::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profiles_application")
                            .from(Profiles::Table, Profiles::ApplicationCode)
                            .to(Applications::Table, Applications::Code)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // "Who manages this structure": the organisation profiles of its
        // memberships.
        manager
            .create_index(
                Index::create()
                    .name("idx_profiles_application_level")
                    .table(Profiles::Table)
                    .col(Profiles::ApplicationCode)
                    .col(Profiles::Level)
                    .to_owned(),
            )
            .await?;

        let mut domains = Query::insert();
        domains.into_table(ApplicationDomains::Table).columns([
            ApplicationDomains::Code,
            ApplicationDomains::Position,
            ApplicationDomains::LabelFr,
            ApplicationDomains::LabelEn,
        ]);
        for (position, (code, fr, en)) in (1..).zip(DOMAINS) {
            domains.values_panic([(*code).into(), position.into(), (*fr).into(), (*en).into()]);
        }
        manager.exec_stmt(domains).await?;
        let mut applications = Query::insert();
        applications.into_table(Applications::Table).columns([
            Applications::Code,
            Applications::DomainCode,
            Applications::Position,
            Applications::LabelFr,
            Applications::LabelEn,
        ]);
        for (position, (code, domain, fr, en)) in (1..).zip(APPLICATIONS) {
            applications.values_panic([
                (*code).into(),
                (*domain).into(),
                position.into(),
                (*fr).into(),
                (*en).into(),
            ]);
        }
        manager.exec_stmt(applications).await?;

        // The default profiles of the memberships that exist (H3, H5).
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "INSERT INTO profiles (membership_id, application_code, level, granted_at) \
             SELECT m.id, a.code, \
                    CASE WHEN a.code = 'organisation' AND m.role = 'member' \
                         THEN 'consultation' ELSE 'modification' END, \
                    m.created_at \
             FROM memberships m CROSS JOIN applications a",
        )
        .await?;
        conn.execute_unprepared("UPDATE memberships SET role = 'member' WHERE role = 'manager'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Managers become a role again before their profiles go.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE memberships SET role = 'manager' WHERE role = 'member' AND id IN \
                 (SELECT membership_id FROM profiles \
                  WHERE application_code = 'organisation' AND level = 'modification')",
            )
            .await?;
        for table in [
            Profiles::Table.into_iden(),
            Applications::Table.into_iden(),
            ApplicationDomains::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ApplicationDomains {
    Table,
    Code,
    Position,
    LabelFr,
    LabelEn,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Code,
    DomainCode,
    Position,
    LabelFr,
    LabelEn,
}

#[derive(DeriveIden)]
enum Profiles {
    Table,
    MembershipId,
    ApplicationCode,
    Level,
    GrantedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
}
