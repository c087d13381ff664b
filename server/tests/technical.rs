//! A structure's technical user (rules T1–T3, issue 17) on every backend:
//! only the primary manager acts, the login and the password's expiry, the
//! password shown once and replaced at once, the e-mail of a reset, the
//! status, the contact that is the primary manager's, and the audit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::entities::user;
use app::backend::structures;
use app::backend::technical::{self, Unusable};
use app::domain::refusal::Refusal;
use app::domain::technical::{CredentialProblem, TechnicalRefusal, TechnicalStatus};
use chrono::Duration;
use common::{
    active_user, attach_manager_and_member, count_events, last_mail, mail_count, outside_the_eu,
    refused,
};
use sea_orm::EntityTrait;

const IP: &str = "192.0.2.1";

#[tokio::test]
async fn only_the_primary_manager_acts_on_the_technical_user() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let manager = active_user(&state, "max@example.fr").await;
        let member = active_user(&state, "zoe@example.fr").await;
        let stranger = active_user(&state, "ugo@example.fr").await;
        let form = outside_the_eu("US-77", "Acme");
        let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
        let now = state.clock.now();
        attach_manager_and_member(&state, structure.id, &manager, &member).await;

        let not_primary = Err(Refusal::Technical(TechnicalRefusal::NotPrimaryManager));
        for user in [&manager, &member] {
            let tried = technical::create(&state, user.id, structure.id, IP).await;
            assert_eq!(refused(tried).map(drop), not_primary, "{}", backend.name);
        }
        let tried = technical::create(&state, stranger.id, structure.id, IP).await;
        assert_eq!(refused(tried).map(drop), Err(Refusal::NotFound));
        let seen = technical::of_structure(&state, stranger.id, structure.id).await;
        assert_eq!(refused(seen).map(drop), Err(Refusal::NotFound));
        // Nothing to reset or switch before it exists.
        let early = technical::reset_password(&state, owner.id, structure.id, IP).await;
        let not_created = Err(Refusal::Technical(TechnicalRefusal::NotCreated));
        assert_eq!(refused(early).map(drop), not_created);
        let off = TechnicalStatus::Inactive;
        let early = technical::set_status(&state, owner.id, structure.id, off, IP).await;
        assert_eq!(refused(early), not_created);
        assert_eq!(count_events(&state, "technical.created").await, 0);

        // Created: TECH_<identifier>@<domain>, active, 424 days.
        let issued = technical::create(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        assert_eq!(issued.login, "TECH_US-77@facturo.example.fr");
        assert_eq!(issued.password.expose().len(), 32);
        let off_by = issued.expires_at - now - Duration::days(424);
        assert!(off_by.num_seconds().abs() <= 1, "{off_by}");
        let again = technical::create(&state, owner.id, structure.id, IP).await;
        let created = Err(Refusal::Technical(TechnicalRefusal::AlreadyCreated));
        assert_eq!(refused(again).map(drop), created);
        assert_eq!(count_events(&state, "technical.created").await, 1);

        // Every attached user sees it, with the primary manager's contact.
        let overview = technical::of_structure(&state, member.id, structure.id)
            .await
            .unwrap();
        assert!(!overview.viewer_primary);
        assert_eq!(overview.identifier, "US-77");
        let shown = overview.user.expect("created");
        let owner_now = user::Entity::find_by_id(owner.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(shown.login, issued.login);
        assert_eq!(shown.status, TechnicalStatus::Active);
        assert_eq!(shown.contact, Some(owner_now.contact_email.clone()));
        assert_eq!(shown.password_expires_at, issued.expires_at);
        let overview = technical::of_structure(&state, owner.id, structure.id)
            .await
            .unwrap();
        assert!(overview.viewer_primary);
    })
    .await;
}

#[tokio::test]
async fn a_reset_password_works_at_once_and_the_old_one_stops() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let form = outside_the_eu("US-78", "Acme");
        let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
        let first = technical::create(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        let login = first.login.clone();
        let check = async |password: &str| {
            technical::authenticate(&state.db, &login, password, state.clock.now())
                .await
                .unwrap()
                .map(|row| row.structure_id)
        };
        assert_eq!(check(first.password.expose()).await, Ok(structure.id));
        let mut wrong = first.password.expose().to_owned();
        wrong.replace_range(0..1, if wrong.starts_with('A') { "B" } else { "A" });
        assert_eq!(check(&wrong).await, Err(Unusable::BadCredentials));
        assert_eq!(check("short").await, Err(Unusable::BadCredentials));

        let second = technical::reset_password(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        assert_ne!(second.password, first.password);
        assert_eq!(
            check(first.password.expose()).await,
            Err(Unusable::BadCredentials)
        );
        assert_eq!(check(second.password.expose()).await, Ok(structure.id));
        assert_eq!(
            count_events(&state, "technical.password_reset").await,
            1,
            "{}",
            backend.name
        );
        // The primary manager is told, without the password.
        let owner_now = user::Entity::find_by_id(owner.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        let mail = last_mail(&state, &owner_now.contact_email)
            .await
            .expect("a mail");
        assert!(
            mail.subject
                .contains("Réinitialisation du mot de passe du compte utilisateur technique")
        );
        assert!(mail.text_body.contains(&login));
        assert!(!mail.text_body.contains(second.password.expose()));

        // Deactivated, then active again; switching to the same status
        // records nothing.
        let off = TechnicalStatus::Inactive;
        technical::set_status(&state, owner.id, structure.id, off, IP)
            .await
            .unwrap();
        technical::set_status(&state, owner.id, structure.id, off, IP)
            .await
            .unwrap();
        let deactivated = Err(Unusable::Problem(CredentialProblem::Deactivated));
        assert_eq!(check(second.password.expose()).await, deactivated);
        assert_eq!(count_events(&state, "technical.deactivated").await, 1);
        let on = TechnicalStatus::Active;
        technical::set_status(&state, owner.id, structure.id, on, IP)
            .await
            .unwrap();
        assert_eq!(check(second.password.expose()).await, Ok(structure.id));

        // 424 days later, the password has expired.
        let days = u32::try_from(Duration::days(424).num_seconds()).unwrap();
        state.clock.advance(days);
        let expired = Err(Unusable::Problem(CredentialProblem::Expired));
        assert_eq!(check(second.password.expose()).await, expired);
    })
    .await;
}

#[tokio::test]
async fn a_proposed_password_is_in_force_only_once_submitted() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let manager = active_user(&state, "max@example.fr").await;
        let member = active_user(&state, "zoe@example.fr").await;
        let form = outside_the_eu("US-79", "Acme");
        let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
        attach_manager_and_member(&state, structure.id, &manager, &member).await;
        let first = technical::create(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        let login = first.login.clone();
        let check = async |password: &str| {
            technical::authenticate(&state.db, &login, password, state.clock.now())
                .await
                .unwrap()
                .map(|row| row.structure_id)
        };
        let not_primary = Err(Refusal::Technical(TechnicalRefusal::NotPrimaryManager));
        let tried = technical::propose(&state, manager.id, structure.id).await;
        assert_eq!(refused(tried).map(drop), not_primary);

        // Shown, not yet in force: the old password still works.
        let shown = technical::propose(&state, owner.id, structure.id)
            .await
            .unwrap();
        assert_eq!(check(first.password.expose()).await, Ok(structure.id));
        assert_eq!(
            check(shown.password.expose()).await,
            Err(Unusable::BadCredentials)
        );
        assert_eq!(count_events(&state, "technical.password_reset").await, 0);

        // Only the password shown may be submitted, by the primary manager.
        let expired = Err(Refusal::Technical(TechnicalRefusal::ProposalExpired));
        let chosen = "Aa1-".repeat(8);
        let tried = technical::submit_proposal(&state, owner.id, structure.id, &chosen, IP).await;
        assert_eq!(refused(tried).map(drop), expired, "{}", backend.name);
        let tried = technical::submit_proposal(
            &state,
            manager.id,
            structure.id,
            shown.password.expose(),
            IP,
        )
        .await;
        assert_eq!(refused(tried).map(drop), not_primary);
        assert_eq!(check(first.password.expose()).await, Ok(structure.id));

        let expiry =
            technical::submit_proposal(&state, owner.id, structure.id, shown.password.expose(), IP)
                .await
                .unwrap();
        assert!((expiry - shown.expires_at).num_seconds().abs() <= 1);
        assert_eq!(
            check(first.password.expose()).await,
            Err(Unusable::BadCredentials)
        );
        assert_eq!(check(shown.password.expose()).await, Ok(structure.id));
        assert_eq!(count_events(&state, "technical.password_reset").await, 1);
        // Once: the same password cannot be submitted again.
        let again =
            technical::submit_proposal(&state, owner.id, structure.id, shown.password.expose(), IP)
                .await;
        assert_eq!(refused(again).map(drop), expired);

        // A newer proposal replaces the older; one left too long lapses.
        let older = technical::propose(&state, owner.id, structure.id)
            .await
            .unwrap();
        let newer = technical::propose(&state, owner.id, structure.id)
            .await
            .unwrap();
        let tried =
            technical::submit_proposal(&state, owner.id, structure.id, older.password.expose(), IP)
                .await;
        assert_eq!(refused(tried).map(drop), expired);
        state.clock.advance(16 * 60);
        let tried =
            technical::submit_proposal(&state, owner.id, structure.id, newer.password.expose(), IP)
                .await;
        assert_eq!(refused(tried).map(drop), expired);
        assert_eq!(check(shown.password.expose()).await, Ok(structure.id));
        assert_eq!(count_events(&state, "technical.password_reset").await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_primary_manager_is_warned_thirty_then_seven_days_before_the_expiry() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let form = outside_the_eu("US-83", "Acme");
        let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
        let issued = technical::create(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        let contact = user::Entity::find_by_id(owner.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap()
            .contact_email;
        let expiring =
            async || mail_count(&state, &contact, "Expiration prochaine du mot de passe").await;
        let pass = async || {
            technical::warnings::send_due(&state.db, &state.settings, state.clock.now())
                .await
                .unwrap()
        };
        let day = 24 * 3600;
        // Not yet: 424 days ahead.
        assert_eq!(pass().await, 0);
        // 30 days before: one warning, once, however often the job looks.
        state.clock.advance(394 * day + 60);
        assert_eq!(pass().await, 1, "{}", backend.name);
        assert_eq!(pass().await, 0);
        assert_eq!(expiring().await, 1);
        let mail = last_mail(&state, &contact).await.unwrap();
        assert!(mail.text_body.contains(&issued.login));
        assert!(mail.text_body.contains("30"));
        assert!(
            mail.text_body
                .contains("/raccordements/compte-technique?structure=")
        );
        assert!(!mail.text_body.contains(issued.password.expose()));
        // 7 days before: the second warning, once.
        state.clock.advance(23 * day);
        assert_eq!(pass().await, 1);
        assert_eq!(pass().await, 0);
        assert_eq!(expiring().await, 2);
        // A reset starts again: a new password is far from its expiry.
        technical::reset_password(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        assert_eq!(pass().await, 0);
        // A deactivated account is not warned.
        state.clock.advance(400 * day);
        technical::set_status(
            &state,
            owner.id,
            structure.id,
            TechnicalStatus::Inactive,
            IP,
        )
        .await
        .unwrap();
        assert_eq!(pass().await, 0);
        assert_eq!(expiring().await, 2);
    })
    .await;
}
