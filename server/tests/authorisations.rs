//! Profiles (rules H1–H3, H5) on every backend: the catalogue is data, a
//! creator and an approved member start with the default profiles, and
//! *Organisation modification*, not a role, is what lets a member decide
//! the structure's requests; the migration gives existing memberships their
//! profiles and takes them back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::attachments::{self, approvals, mine};
use app::backend::authorisations::{self, managed_structures, managers_of, standing};
use app::backend::entities::{membership, profile};
use app::backend::migration::Migrator;
use app::backend::structures;
use app::domain::attachments::{RequestEvent, Standing, check_request};
use app::domain::authorisations::{Level, ORGANISATION, Origin};
use common::{active_user, siret};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use sea_orm_migration::MigratorTrait;
use server::directory::load_sample_if_empty;

const IP: &str = "192.0.2.1";

#[tokio::test]
async fn the_catalogue_is_data_in_both_languages() {
    common::on_every_backend(async |backend| {
        let (domains, applications) = authorisations::catalogue(&backend.db).await.unwrap();
        let codes: Vec<&str> = applications.iter().map(|a| a.code.as_str()).collect();
        for expected in [
            "factures_emises",
            "factures_travaux",
            "memoires_justice",
            "engagements",
            "certificats_cessibilite",
            ORGANISATION,
            "compte_technique",
        ] {
            assert!(codes.contains(&expected), "{expected} in {codes:?}");
        }
        let facturation = domains.iter().find(|d| d.code == "facturation").unwrap();
        assert_eq!(
            (facturation.label_fr.as_str(), facturation.label_en.as_str()),
            ("Facturation", "Invoicing")
        );
        for application in &applications {
            assert!(!application.label_fr.is_empty() && !application.label_en.is_empty());
            assert!(domains.iter().any(|d| d.code == application.domain_code));
        }
        assert!(
            applications
                .windows(2)
                .all(|w| w[0].position < w[1].position)
        );
    })
    .await;
}

#[tokio::test]
async fn organisation_modification_makes_a_manager() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        load_sample_if_empty(&state.db).await.unwrap();
        let owner = active_user(&state, "lea@example.fr").await;
        let joiner = active_user(&state, "max@example.fr").await;
        let structure = structures::create(&state, &owner, &siret("90100001800019"), IP)
            .await
            .unwrap();
        let (_, applications) = authorisations::catalogue(&state.db).await.unwrap();

        // The creator holds every application at modification (S3, H3).
        let owned = membership_of(&state, owner.id).await;
        let held = authorisations::profiles_of(&state.db, owned.id)
            .await
            .unwrap();
        assert_eq!(held.len(), applications.len());
        assert!(held.values().all(|level| *level == Level::Modification));
        let standing_now = standing(&state.db, owner.id, structure.id).await.unwrap();
        assert_eq!(standing_now, Standing::PrimaryManager);

        // An approved request gives the defaults: organisation at
        // consultation, the rest at modification; a member, not a manager.
        let form = check_request("Comptable", false, &[]).unwrap();
        let asked = attachments::request(&state, &joiner, structure.id, &form, IP)
            .await
            .unwrap();
        approvals::decide(
            &state,
            &owner,
            asked.request.id,
            RequestEvent::Approve,
            None,
            IP,
        )
        .await
        .unwrap();
        let joined = membership_of(&state, joiner.id).await;
        let held = authorisations::profiles_of(&state.db, joined.id)
            .await
            .unwrap();
        assert_eq!(held.len(), applications.len());
        assert_eq!(held.get(ORGANISATION), Some(&Level::Consultation));
        assert_eq!(held.get("factures_emises"), Some(&Level::Modification));
        let joined_standing = standing(&state.db, joiner.id, structure.id).await.unwrap();
        assert_eq!(joined_standing, Standing::Member);
        assert!(
            managed_structures(&state.db, joiner.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            managers_of(&state.db, structure.id).await.unwrap(),
            vec![owner.id]
        );

        // Organisation modification, and nothing else, makes them a manager.
        let now = state.clock.now();
        let level = Some(Level::Modification);
        authorisations::set_level(&state.db, joined.id, ORGANISATION, level, now)
            .await
            .unwrap();
        let promoted = standing(&state.db, joiner.id, structure.id).await.unwrap();
        assert_eq!(promoted, Standing::Manager);
        assert_eq!(
            managed_structures(&state.db, joiner.id).await.unwrap(),
            vec![structure.id]
        );
        let mut managers = managers_of(&state.db, structure.id).await.unwrap();
        managers.sort_unstable();
        assert_eq!(managers, vec![owner.id, joiner.id]);
        let (lines, _) = structures::of_user(&state.db, joiner.id, 0, 5)
            .await
            .unwrap();
        assert_eq!(lines[0].standing, Standing::Manager);

        // Removing the profile takes it back.
        authorisations::set_level(&state.db, joined.id, ORGANISATION, None, now)
            .await
            .unwrap();
        let lowered = standing(&state.db, joiner.id, structure.id).await.unwrap();
        assert_eq!(lowered, Standing::Member);

        // Leaving the structure takes the profiles with the membership.
        mine::detach(&state, &joiner, structure.id, &[], IP)
            .await
            .unwrap();
        let left = profile::Entity::find()
            .filter(profile::Column::MembershipId.eq(joined.id))
            .count(&state.db)
            .await
            .unwrap();
        assert_eq!(left, 0);
    })
    .await;
}

#[tokio::test]
async fn the_migration_gives_memberships_their_profiles_and_takes_them_back() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        load_sample_if_empty(&state.db).await.unwrap();
        let owner = active_user(&state, "lea@example.fr").await;
        let manager = active_user(&state, "max@example.fr").await;
        let member = active_user(&state, "ines@example.fr").await;
        let structure = structures::create(&state, &owner, &siret("90100001800019"), IP)
            .await
            .unwrap();
        common::attach_manager_and_member(&state, structure.id, &manager, &member).await;

        // Down: the managers are a role again, and the profiles are gone.
        // Down to before the profiles' migration, whatever came after it.
        let names: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        let at = names
            .iter()
            .position(|name| name == "m20261206_000011_authorisations")
            .unwrap();
        let steps = u32::try_from(names.len() - at).unwrap();
        Migrator::down(&state.db, Some(steps)).await.unwrap();
        let mut roles: Vec<(i32, String)> = membership::Entity::find()
            .select_only()
            .column(membership::Column::UserId)
            .column(membership::Column::Role)
            .into_tuple()
            .all(&state.db)
            .await
            .unwrap();
        roles.sort_unstable();
        let mut expected = vec![
            (owner.id, "primary_manager".to_owned()),
            (manager.id, "manager".to_owned()),
            (member.id, "member".to_owned()),
        ];
        expected.sort_unstable();
        assert_eq!(roles, expected);

        // Up: each membership gets the default profiles of its role.
        Migrator::up(&state.db, None).await.unwrap();
        for (user, expected) in [
            (&owner, Standing::PrimaryManager),
            (&manager, Standing::Manager),
            (&member, Standing::Member),
        ] {
            let found = standing(&state.db, user.id, structure.id).await.unwrap();
            assert_eq!(found, expected, "{}", user.login_email);
        }
        let joined = membership_of(&state, member.id).await;
        let held = authorisations::profiles_of(&state.db, joined.id)
            .await
            .unwrap();
        assert_eq!(held.get(ORGANISATION), Some(&Level::Consultation));
        assert_eq!(held.get("engagements"), Some(&Level::Modification));
    })
    .await;
}

async fn membership_of(state: &app::backend::AppState, user_id: i32) -> membership::Model {
    membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn managers_change_profiles_members_only_lower_their_own() {
    use app::backend::authorisations::requests;
    use app::backend::authorisations::{change_profiles, member_profiles};
    use app::backend::entities::attachment_request::Status;
    use app::domain::attachments::RequestStatus;
    use app::domain::authorisations::{AskedLevel, ProfileRefusal};
    use app::domain::refusal::Refusal;
    use common::{count_events, refused};

    common::on_every_backend(async |backend| {
        let state = backend.state();
        load_sample_if_empty(&state.db).await.unwrap();
        let owner = active_user(&state, "lea@example.fr").await;
        let member = active_user(&state, "max@example.fr").await;
        let stranger = active_user(&state, "zoe@example.fr").await;
        let structure = structures::create(&state, &owner, &siret("90100001800019"), IP)
            .await
            .unwrap();
        let now = state.clock.now();
        authorisations::attach(&state.db, structure.id, member.id, Origin::Attached, now)
            .await
            .unwrap();
        let ask = |application: &str, level: Option<Level>| AskedLevel {
            application: application.into(),
            level,
        };
        let level_of = async |user: i32, application: &str| {
            let found = member_profiles(&state.db, owner.id, structure.id, user)
                .await
                .unwrap();
            found
                .lines
                .into_iter()
                .find(|(_, a, _)| a.code == application)
                .unwrap()
                .2
        };
        let change = async |actor: &app::backend::entities::user::Model,
                            target: i32,
                            asked: Vec<AskedLevel>| {
            change_profiles(&state, actor, structure.id, target, &asked, IP).await
        };

        // A manager restricts a member; unchanged lines are not counted.
        let restricted = change(
            &owner,
            member.id,
            vec![
                ask("factures_emises", Some(Level::Consultation)),
                ask("engagements", Some(Level::Modification)),
            ],
        )
        .await;
        assert_eq!(restricted.unwrap().applied, 1);
        assert_eq!(
            level_of(member.id, "factures_emises").await,
            Some(Level::Consultation)
        );
        assert_eq!(count_events(&state, "profile.changed").await, 1);

        // The member lowers their own at once; raising it back is a request
        // that changes nothing until a manager approves it (H4).
        let lowered = change(&member, member.id, vec![ask("engagements", None)]).await;
        assert_eq!(lowered.unwrap().applied, 1);
        assert_eq!(level_of(member.id, "engagements").await, None);
        let raise = vec![ask("factures_emises", Some(Level::Modification))];
        let asked = change(&member, member.id, raise).await.unwrap();
        assert_eq!((asked.applied, asked.requested), (0, 1));
        assert_eq!(
            level_of(member.id, "factures_emises").await,
            Some(Level::Consultation)
        );
        let (pending, total) = requests::pending_for(&state.db, owner.id, 0, 10)
            .await
            .unwrap();
        assert_eq!(total, 1);
        assert_eq!(pending[0].requester.id, member.id);
        assert_eq!(pending[0].application.code, "factures_emises");
        // The managers are told, in their language, with the application's name.
        let told = common::last_mail(&state, &owner.contact_email)
            .await
            .unwrap();
        assert!(
            told.subject.contains("Demande d’habilitation"),
            "{}",
            told.subject
        );
        assert!(
            told.text_body.contains("Factures émises"),
            "{}",
            told.text_body
        );
        assert!(told.text_body.contains(&member.login_email));
        // Nobody but a manager sees or decides it.
        let (none, _) = requests::pending_for(&state.db, member.id, 0, 10)
            .await
            .unwrap();
        assert!(none.is_empty());
        let id = pending[0].request.id;
        assert_eq!(
            refused(requests::decide(&state, &member, id, true, IP).await),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            requests::decide(&state, &owner, id, true, IP)
                .await
                .unwrap(),
            RequestStatus::Approved
        );
        assert_eq!(
            level_of(member.id, "factures_emises").await,
            Some(Level::Modification)
        );
        assert!(refused(requests::decide(&state, &owner, id, false, IP).await).is_err());
        let (history, _) = requests::history_of(&state.db, member.id, 0, 10)
            .await
            .unwrap();
        assert_eq!(history[0].request.status, Status::Approved);
        // A refused line changes nothing, not even the lines before it.
        let mixed = vec![
            ask("compte_technique", None),
            ask(ORGANISATION, Some(Level::Modification)),
            ask("inconnue", None),
        ];
        assert!(refused(change(&member, member.id, mixed).await).is_err());
        assert_eq!(
            level_of(member.id, "compte_technique").await,
            Some(Level::Modification)
        );
        let unknown = vec![ask("compte_technique", None), ask("inconnue", None)];
        assert_eq!(
            refused(change(&owner, member.id, unknown).await),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            level_of(member.id, "compte_technique").await,
            Some(Level::Modification)
        );

        // Nobody but a manager changes someone else; the primary manager
        // keeps Organisation modification; a stranger learns nothing.
        let theirs = vec![ask("factures_emises", None)];
        assert_eq!(
            refused(change(&member, owner.id, theirs.clone()).await),
            Err(Refusal::Profile(ProfileRefusal::NotManager))
        );
        let demote = vec![ask(ORGANISATION, Some(Level::Consultation))];
        assert_eq!(
            refused(change(&owner, owner.id, demote).await),
            Err(Refusal::Profile(
                ProfileRefusal::PrimaryManagerKeepsOrganisation
            ))
        );
        assert_eq!(
            refused(change(&stranger, member.id, theirs).await),
            Err(Refusal::NotFound)
        );
        let peek = member_profiles(&state.db, stranger.id, structure.id, member.id).await;
        assert_eq!(refused(peek).map(|_| ()), Err(Refusal::NotFound));
        let peek = member_profiles(&state.db, member.id, structure.id, owner.id).await;
        assert_eq!(refused(peek).map(|_| ()), Err(Refusal::NotAllowed));

        // Granting Organisation modification makes a manager (H5).
        let grant = vec![ask(ORGANISATION, Some(Level::Modification))];
        assert_eq!(change(&owner, member.id, grant).await.unwrap().applied, 1);
        let now_manager = standing(&state.db, member.id, structure.id).await.unwrap();
        assert_eq!(now_manager, Standing::Manager);
        assert_eq!(count_events(&state, "profile.changed").await, 3);
    })
    .await;
}
