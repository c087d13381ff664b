//! Structures (rules S1, S3, S10, M1) on every backend: creation from the
//! SIRENE sample, refusals, one structure per identifier, the creator as
//! primary manager, and the user's paginated list.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::authorisations;
use app::backend::entities::membership::{self, Role};
use app::backend::entities::structure::StructureStatus;
use app::backend::structures::{self, services};
use app::domain::attachments::Standing;
use app::domain::authorisations::Origin;
use app::domain::refusal::Refusal;
use app::domain::structures::{StructureRefusal, check_service};
use common::{active_user, outside_the_eu, refused, siret};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::directory::load_sample_if_empty;

const IP: &str = "192.0.2.1";

async fn prepared(state: &AppState) {
    load_sample_if_empty(&state.db).await.unwrap();
}

#[tokio::test]
async fn a_siret_structure_is_filled_from_the_directory_and_its_creator_manages_it() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        prepared(&state).await;
        let lea = active_user(&state, "lea@example.fr").await;
        let created = structures::create(&state, &lea, &siret("90100001800019"), IP)
            .await
            .unwrap();
        assert_eq!(created.name, "ATELIER DES LILAS");
        assert_eq!(created.street.as_deref(), Some("12 RUE DES LILAS"));
        assert_eq!(created.postal_code.as_deref(), Some("69003"));
        assert!(!created.non_diffusible);
        assert_eq!(created.status, StructureStatus::Active);
        let role = membership::Entity::find()
            .filter(membership::Column::StructureId.eq(created.id))
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((role.user_id, role.role), (lea.id, Role::PrimaryManager));

        // One structure per identifier, whoever asks.
        let max = active_user(&state, "max@example.fr").await;
        let again = structures::create(&state, &max, &siret("90100001800019"), IP).await;
        assert_eq!(
            refused(again),
            Err(StructureRefusal::AlreadyExists.into()),
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn closed_unknown_hidden_and_public_sirets() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        prepared(&state).await;
        let lea = active_user(&state, "lea@example.fr").await;
        let closed = structures::create(&state, &lea, &siret("90100001800027"), IP).await;
        assert_eq!(refused(closed), Err(StructureRefusal::SiretClosed.into()));
        let ceased = structures::create(&state, &lea, &siret("90100004200019"), IP).await;
        assert_eq!(refused(ceased), Err(StructureRefusal::SiretClosed.into()));
        let unknown = structures::create(&state, &lea, &siret("12002701600019"), IP).await;
        assert_eq!(refused(unknown), Err(StructureRefusal::SiretUnknown.into()));

        let hidden = structures::create(&state, &lea, &siret("90100003400016"), IP)
            .await
            .unwrap();
        assert!(hidden.non_diffusible);
        assert_eq!((hidden.street, hidden.city), (None, None));
        let commune = structures::create(&state, &lea, &siret("90100005900013"), IP)
            .await
            .unwrap();
        assert_eq!(commune.status, StructureStatus::AwaitingSupport);
        let ministry = structures::create(&state, &lea, &siret("90100006700016"), IP)
            .await
            .unwrap();
        assert_eq!(ministry.status, StructureStatus::Active);
        let la_poste = structures::create(&state, &lea, &siret("35600000010000"), IP)
            .await
            .unwrap();
        assert_eq!(la_poste.name, "LA POSTE");
    })
    .await;
}

#[tokio::test]
async fn other_identifiers_take_the_typed_name_and_lists_are_per_user_and_paginated() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let lea = active_user(&state, "lea@example.fr").await;
        let max = active_user(&state, "max@example.fr").await;
        let mut created = Vec::new();
        for i in 0..7 {
            let form = outside_the_eu(&format!("US-{i}"), &format!("Acme {i}"));
            created.push(structures::create(&state, &lea, &form, IP).await.unwrap());
        }
        // Each line counts its own structure's services.
        for (structure, code) in [(6, "ACHATS"), (6, "VENTES"), (5, "ACHATS")] {
            let new = check_service(code, "Service").unwrap();
            services::add(&state, lea.id, created[structure].id, &new)
                .await
                .unwrap();
        }
        let (first, total) = structures::of_user(&state.db, lea.id, 0, 5).await.unwrap();
        assert_eq!((first.len(), total), (5, 7));
        assert_eq!(first[0].structure.name, "Acme 6");
        let counted: Vec<u64> = first.iter().map(|l| l.services).collect();
        assert_eq!(counted, [2, 1, 0, 0, 0]);
        let (second, total) = structures::of_user(&state.db, lea.id, 1, 5).await.unwrap();
        assert_eq!((second.len(), total), (2, 7));
        // A first page that is not full gives the total without counting;
        // a page past the end still says how many there are.
        let (all, total) = structures::of_user(&state.db, lea.id, 0, 10).await.unwrap();
        assert_eq!((all.len(), total), (7, 7));
        let (none, total) = structures::of_user(&state.db, lea.id, 3, 5).await.unwrap();
        assert_eq!((none.len(), total), (0, 7));
        assert!(
            second
                .iter()
                .all(|l| l.standing == Standing::PrimaryManager && l.services == 0)
        );
        assert_eq!(
            structures::of_user(&state.db, max.id, 0, 5).await.unwrap(),
            (vec![], 0)
        );
    })
    .await;
}

#[tokio::test]
async fn services_are_kept_by_managers_seen_by_members_hidden_from_strangers() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        prepared(&state).await;
        let owner = active_user(&state, "lea@example.fr").await;
        let member = active_user(&state, "max@example.fr").await;
        let stranger = active_user(&state, "zoe@example.fr").await;
        let structure = structures::create(&state, &owner, &siret("90100002600012"), IP)
            .await
            .unwrap();
        let other = structures::create(&state, &stranger, &siret("90100008300013"), IP)
            .await
            .unwrap();
        let now = state.clock.now();
        authorisations::attach(&state.db, structure.id, member.id, Origin::Attached, now)
            .await
            .unwrap();

        let new = |code: &str, label: &str| check_service(code, label).unwrap();
        let achats = services::add(
            &state,
            owner.id,
            structure.id,
            &new(" ACHATS ", " Service achats "),
        )
        .await
        .unwrap();
        assert_eq!(
            (achats.code.as_str(), achats.label.as_str(), achats.active),
            ("ACHATS", "Service achats", true)
        );
        let taken = services::add(&state, owner.id, structure.id, &new("ACHATS", "Autre")).await;
        assert_eq!(
            refused(taken).map(drop),
            Err(StructureRefusal::ServiceCodeTaken.into()),
            "{}",
            backend.name
        );
        assert_eq!(
            check_service("deux mots", "Autre"),
            Err(StructureRefusal::ServiceInvalid)
        );

        // A plain member sees the services but cannot change them.
        let seen = services::list(&state, member.id, structure.id)
            .await
            .unwrap();
        assert_eq!((seen.services.len(), seen.can_manage), (1, false));
        let by_member =
            services::add(&state, member.id, structure.id, &new("VENTES", "Ventes")).await;
        assert_eq!(refused(by_member).map(drop), Err(Refusal::NotAllowed));
        let off = services::set_active(&state, member.id, structure.id, achats.id, false).await;
        assert_eq!(refused(off), Err(Refusal::NotAllowed));
        // A stranger sees nothing, even as the manager of another structure.
        let hidden = services::list(&state, stranger.id, structure.id).await;
        assert_eq!(refused(hidden).map(drop), Err(Refusal::NotFound));
        let foreign = services::set_active(&state, stranger.id, other.id, achats.id, false).await;
        assert_eq!(refused(foreign), Err(Refusal::NotFound));

        services::set_active(&state, owner.id, structure.id, achats.id, false)
            .await
            .unwrap();
        let listed = services::list(&state, owner.id, structure.id)
            .await
            .unwrap();
        assert_eq!(
            (listed.structure_name.as_str(), listed.can_manage),
            (structure.name.as_str(), true)
        );
        assert!(!listed.services[0].active);
        let (lines, _) = structures::of_user(&state.db, owner.id, 0, 5)
            .await
            .unwrap();
        assert_eq!(lines[0].services, 1);
    })
    .await;
}
