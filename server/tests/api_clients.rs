//! The API's OAuth clients (T4, issue 17) on every backend: only the
//! structure's primary manager creates, lists and revokes them; a secret
//! buys an hour's token, a wrong or revoked one nothing; revoking stops
//! the tokens at once; expired tokens are purged; every act is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::purge::{self, Policy};
use app::backend::structures;
use app::backend::technical::clients;
use app::domain::refusal::Refusal;
use app::domain::technical::{MAX_CLIENTS, TOKEN_SECONDS, TechnicalRefusal, is_generated_shape};
use common::{active_user, attach_manager_and_member, count_events, outside_the_eu, refused};

const IP: &str = "192.0.2.1";

#[tokio::test]
async fn the_primary_manager_creates_and_revokes_clients_whose_tokens_work_for_an_hour() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let manager = active_user(&state, "max@example.fr").await;
        let member = active_user(&state, "zoe@example.fr").await;
        let stranger = active_user(&state, "ugo@example.fr").await;
        let form = outside_the_eu("US-80", "Acme");
        let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
        attach_manager_and_member(&state, structure.id, &manager, &member).await;

        let not_primary = Err(Refusal::Technical(TechnicalRefusal::NotPrimaryManager));
        for user in [&manager, &member] {
            let tried = clients::create(&state, user.id, structure.id, IP).await;
            assert_eq!(refused(tried).map(drop), not_primary, "{}", backend.name);
            let seen = clients::list(&state, user.id, structure.id).await;
            assert_eq!(refused(seen).map(drop), not_primary);
        }
        let tried = clients::create(&state, stranger.id, structure.id, IP).await;
        assert_eq!(refused(tried).map(drop), Err(Refusal::NotFound));

        let issued = clients::create(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
        assert!(is_generated_shape(&issued.client_id));
        assert!(is_generated_shape(issued.secret.expose()));
        assert_ne!(issued.client_id, issued.secret.expose());
        let listed = clients::list(&state, owner.id, structure.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].client_id, issued.client_id);
        assert_ne!(listed[0].secret_hash, issued.secret.expose());
        assert_eq!(listed[0].last_used_at, None);
        assert_eq!(count_events(&state, "technical.client_created").await, 1);

        // The grant: the right secret only.
        let now = state.clock.now();
        let wrong = format!("{}A", &issued.secret.expose()[..31]);
        let wrong = if wrong == issued.secret.expose() {
            format!("{}B", &issued.secret.expose()[..31])
        } else {
            wrong
        };
        assert_eq!(
            clients::grant(&state.db, &issued.client_id, &wrong, now)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            clients::grant(&state.db, "x", "y", now).await.unwrap(),
            None
        );
        let granted = clients::grant(&state.db, &issued.client_id, issued.secret.expose(), now)
            .await
            .unwrap()
            .expect("a token");
        assert_eq!(granted.expires_in, TOKEN_SECONDS);
        let bearer = async |token: &str| {
            clients::bearer(&state.db, token, state.clock.now())
                .await
                .unwrap()
        };
        assert_eq!(
            bearer(granted.access_token.expose()).await,
            Some(structure.id)
        );
        assert_eq!(bearer(issued.secret.expose()).await, None);
        let used = clients::list(&state, owner.id, structure.id).await.unwrap();
        assert!(used[0].last_used_at.is_some());

        // An hour later the token has expired, and the purge forgets it.
        state.clock.advance(u32::try_from(TOKEN_SECONDS).unwrap());
        assert_eq!(bearer(granted.access_token.expose()).await, None);
        let policy = Policy::from_settings(&state.settings);
        let purged = purge::purge_expired(&state.db, &policy, state.clock.now())
            .await
            .unwrap();
        assert_eq!(purged.api_tokens, 1, "{}", backend.name);

        // Revoked: its tokens stop at once, and it buys no more.
        let second = clients::grant(
            &state.db,
            &issued.client_id,
            issued.secret.expose(),
            state.clock.now(),
        )
        .await
        .unwrap()
        .expect("a token");
        let tried = clients::revoke(&state, manager.id, structure.id, listed[0].id, IP).await;
        assert_eq!(refused(tried), not_primary);
        clients::revoke(&state, owner.id, structure.id, listed[0].id, IP)
            .await
            .unwrap();
        clients::revoke(&state, owner.id, structure.id, listed[0].id, IP)
            .await
            .unwrap();
        assert_eq!(count_events(&state, "technical.client_revoked").await, 1);
        assert_eq!(bearer(second.access_token.expose()).await, None);
        let again = clients::grant(
            &state.db,
            &issued.client_id,
            issued.secret.expose(),
            state.clock.now(),
        );
        assert_eq!(again.await.unwrap(), None);
        let kept = clients::list(&state, owner.id, structure.id).await.unwrap();
        assert!(kept[0].revoked_at.is_some());
        // Another structure's client cannot be revoked through this one.
        let other = structures::create(&state, &owner, &outside_the_eu("US-81", "Beta"), IP)
            .await
            .unwrap();
        let tried = clients::revoke(&state, owner.id, other.id, listed[0].id, IP).await;
        assert_eq!(refused(tried), Err(Refusal::NotFound));
    })
    .await;
}

#[tokio::test]
async fn a_structure_holds_at_most_ten_active_clients() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let form = outside_the_eu("US-82", "Acme");
        let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
        for _ in 0..MAX_CLIENTS {
            clients::create(&state, owner.id, structure.id, IP)
                .await
                .unwrap();
        }
        let tried = clients::create(&state, owner.id, structure.id, IP).await;
        let too_many = Err(Refusal::Technical(TechnicalRefusal::TooManyClients));
        assert_eq!(refused(tried).map(drop), too_many, "{}", backend.name);
        let oldest = clients::list(&state, owner.id, structure.id).await.unwrap();
        let oldest = oldest.last().unwrap().id;
        clients::revoke(&state, owner.id, structure.id, oldest, IP)
            .await
            .unwrap();
        clients::create(&state, owner.id, structure.id, IP)
            .await
            .unwrap();
    })
    .await;
}
