//! *Transférer toutes vos structures vers un seul gestionnaire* (rule M3)
//! on every backend: every structure the user is primary manager of goes
//! to one successor, or none does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::authorisations;
use app::backend::structures::{self, transfer};
use app::domain::attachments::Standing;
use app::domain::authorisations::{Origin, TransferRefusal};
use app::domain::refusal::Refusal;
use common::{active_user, count_events, outside_the_eu, refused};

const IP: &str = "192.0.2.1";

#[tokio::test]
async fn every_structure_goes_to_the_successor_or_none_does() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let db = &state.db;
        let owner = active_user(&state, "owner@example.fr").await;
        let successor = active_user(&state, "next@example.fr").await;
        let first = structures::create(&state, &owner, &outside_the_eu("ALL-1", "Une"), IP)
            .await
            .unwrap();
        let second = structures::create(&state, &owner, &outside_the_eu("ALL-2", "Deux"), IP)
            .await
            .unwrap();
        let now = state.clock.now();
        authorisations::attach(db, first.id, successor.id, Origin::Attached, now)
            .await
            .unwrap();
        let held = transfer::held_by(db, owner.id).await.unwrap();
        assert_eq!(held.len(), 2);

        // Attached to one structure only: nothing is handed over.
        let partial = transfer::transfer_all(&state, &owner, "next@example.fr", IP).await;
        assert_eq!(
            refused(partial),
            Err(Refusal::Transfer(TransferRefusal::NotEligible))
        );
        let still = authorisations::standing(db, owner.id, first.id)
            .await
            .unwrap();
        assert_eq!(still, Standing::PrimaryManager, "all or nothing");
        let unknown = transfer::transfer_all(&state, &owner, "nobody@example.fr", IP).await;
        assert_eq!(
            refused(unknown),
            Err(Refusal::Transfer(TransferRefusal::NotEligible)),
            "an unknown address answers as an ineligible one"
        );

        authorisations::attach(db, second.id, successor.id, Origin::Attached, now)
            .await
            .unwrap();
        let count = transfer::transfer_all(&state, &owner, "next@example.fr", IP)
            .await
            .unwrap();
        assert_eq!(count, 2);
        for structure in [&first, &second] {
            let theirs = authorisations::standing(db, successor.id, structure.id)
                .await
                .unwrap();
            assert_eq!(theirs, Standing::PrimaryManager);
            let mine = authorisations::standing(db, owner.id, structure.id)
                .await
                .unwrap();
            assert_eq!(mine, Standing::Manager, "the former one stays a manager");
        }
        assert_eq!(count_events(&state, "structure.transferred").await, 2);
        let again = transfer::transfer_all(&state, &owner, "next@example.fr", IP).await;
        assert_eq!(
            refused(again),
            Err(Refusal::Transfer(TransferRefusal::NotPrimaryManager))
        );
    })
    .await;
}
