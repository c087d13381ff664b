//! *Rattacher un utilisateur* (rule M2) on every backend: an address with
//! an account is attached at once and told; an unknown address is invited
//! and its account lands attached when activated; only managers add; an
//! addition is not made twice, an open invitation not sent twice, and a
//! manager's additions are bounded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts;
use app::backend::authorisations;
use app::backend::entities::membership;
use app::backend::structures::{self, invitations};
use app::domain::attachments::Standing;
use app::domain::authorisations::{Level, ORGANISATION, Origin};
use app::domain::members::{ADDITIONS_PER_DAY, Added, MemberActionRefusal};
use app::domain::preferences::Language;
use app::domain::refusal::Refusal;
use common::{PASSWORD, active_user, count_events, last_mail, outside_the_eu, refused, token_in};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const IP: &str = "192.0.2.1";

#[tokio::test]
async fn an_account_is_attached_at_once_and_an_unknown_address_on_activation() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "owner@example.fr").await;
        let structure = structures::create(&state, &owner, &outside_the_eu("INV-1", "Acme"), IP)
            .await
            .unwrap();
        let known = active_user(&state, "known@example.fr").await;

        let added = invitations::add_user(
            &state,
            &owner,
            structure.id,
            "known@example.fr",
            Language::Fr,
            IP,
        )
        .await
        .unwrap();
        assert_eq!(added, Added::Attached);
        let standing = authorisations::standing(&state.db, known.id, structure.id)
            .await
            .unwrap();
        assert_eq!(
            standing,
            Standing::Member,
            "attached with the default profiles"
        );
        let told = last_mail(&state, "known@example.fr").await.unwrap();
        assert!(told.subject.contains("Acme"), "{}", told.subject);
        let again = invitations::add_user(
            &state,
            &owner,
            structure.id,
            "known@example.fr",
            Language::Fr,
            IP,
        )
        .await;
        assert_eq!(
            refused(again),
            Err(Refusal::Member(MemberActionRefusal::AlreadyAttached))
        );

        // An unknown address: invited, in the manager's language.
        let invited = invitations::add_user(
            &state,
            &owner,
            structure.id,
            "newcomer@example.fr",
            Language::En,
            IP,
        )
        .await
        .unwrap();
        assert_eq!(invited, Added::Invited);
        let invitation = last_mail(&state, "newcomer@example.fr").await.unwrap();
        assert!(
            invitation.subject.contains("invitation"),
            "{}",
            invitation.subject
        );
        assert!(invitation.text_body.contains("/creer-un-compte"));
        let twice = invitations::add_user(
            &state,
            &owner,
            structure.id,
            "newcomer@example.fr",
            Language::En,
            IP,
        )
        .await;
        assert_eq!(
            refused(twice),
            Err(Refusal::Member(MemberActionRefusal::AlreadyInvited))
        );

        // The newcomer signs up and activates: attached.
        accounts::sign_up(&state, &common::form("newcomer@example.fr"), Language::En)
            .await
            .unwrap();
        let account = accounts::find_by_login(&state.db, "newcomer@example.fr")
            .await
            .unwrap()
            .unwrap();
        let pending = authorisations::standing(&state.db, account.id, structure.id)
            .await
            .unwrap();
        assert_eq!(
            pending,
            Standing::Stranger,
            "not before the address is proved"
        );
        let token = token_in(&last_mail(&state, "newcomer@example.fr").await.unwrap());
        accounts::set_password_with_link(&state, &token, PASSWORD)
            .await
            .unwrap();
        let joined = authorisations::standing(&state.db, account.id, structure.id)
            .await
            .unwrap();
        assert_eq!(joined, Standing::Member);
        let membership = membership::Entity::find()
            .filter(membership::Column::UserId.eq(account.id))
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        let profiles = authorisations::profiles_of(&state.db, membership.id)
            .await
            .unwrap();
        assert_eq!(profiles.get(ORGANISATION), Some(&Level::Consultation));
        assert_eq!(count_events(&state, "membership.added").await, 1);
        assert_eq!(count_events(&state, "invitation.sent").await, 1);
        assert_eq!(count_events(&state, "invitation.accepted").await, 1);
    })
    .await;
}

#[tokio::test]
async fn only_managers_add_and_no_more_than_the_daily_limit() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "owner@example.fr").await;
        let structure = structures::create(&state, &owner, &outside_the_eu("INV-2", "Acme"), IP)
            .await
            .unwrap();
        let member = active_user(&state, "member@example.fr").await;
        let now = state.clock.now();
        authorisations::attach(&state.db, structure.id, member.id, Origin::Attached, now)
            .await
            .unwrap();
        let stranger = active_user(&state, "stranger@example.fr").await;
        let by_member = invitations::add_user(
            &state,
            &member,
            structure.id,
            "x@example.fr",
            Language::Fr,
            IP,
        )
        .await;
        assert_eq!(refused(by_member), Err(Refusal::NotAllowed));
        let by_stranger = invitations::add_user(
            &state,
            &stranger,
            structure.id,
            "x@example.fr",
            Language::Fr,
            IP,
        )
        .await;
        assert_eq!(refused(by_stranger), Err(Refusal::NotFound));
        assert!(
            last_mail(&state, "x@example.fr").await.is_none(),
            "nothing sent"
        );

        for n in 0..ADDITIONS_PER_DAY {
            let address = format!("guest{n}@example.fr");
            invitations::add_user(&state, &owner, structure.id, &address, Language::Fr, IP)
                .await
                .unwrap();
        }
        let over = invitations::add_user(
            &state,
            &owner,
            structure.id,
            "one-more@example.fr",
            Language::Fr,
            IP,
        )
        .await;
        assert_eq!(
            refused(over),
            Err(Refusal::Member(MemberActionRefusal::TooManyAdditions))
        );
        assert!(last_mail(&state, "one-more@example.fr").await.is_none());
    })
    .await;
}
