//! Rule L6: sessions end at logout, after idling, and at their absolute
//! limit, on the server's clock; their id changes at login.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::entities::session;
use app::backend::sessions::{self, Lifetimes, SessionState};
use chrono::Duration;
use sea_orm::{EntityTrait, PaginatorTrait};

const LIFETIMES: Lifetimes = Lifetimes {
    idle: Duration::minutes(30),
    absolute: Duration::hours(12),
};

#[tokio::test]
async fn a_session_lives_while_used_and_ends_after_idling() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = common::active_user(&state, "idle@example.fr").await;
        let logged_in = SessionState::logged_in(user.id, state.clock.now());
        let token = sessions::create(&state.db, &logged_in, LIFETIMES, state.clock.now())
            .await
            .unwrap();
        // The database keeps the hash only.
        let row = session::Entity::find()
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(row.id, token.expose());

        state.clock.advance(29 * 60);
        assert!(
            sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now())
                .await
                .unwrap()
                .is_some()
        );
        state.clock.advance(29 * 60);
        assert!(
            sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now())
                .await
                .unwrap()
                .is_some()
        );
        state.clock.advance(31 * 60);
        assert!(
            sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now())
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            session::Entity::find().count(&state.db).await.unwrap(),
            0,
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_even_when_used() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = common::active_user(&state, "absolute@example.fr").await;
        let logged_in = SessionState::logged_in(user.id, state.clock.now());
        let token = sessions::create(&state.db, &logged_in, LIFETIMES, state.clock.now())
            .await
            .unwrap();
        for _ in 0..(12 * 3 - 1) {
            state.clock.advance(20 * 60);
            assert!(
                sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now())
                    .await
                    .unwrap()
                    .is_some()
            );
        }
        state.clock.advance(20 * 60 + 1);
        assert!(
            sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now())
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn logout_and_rotation_end_the_old_token() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let owner = common::active_user(&state, "rotate@example.fr").await;
        let waiting = SessionState::AwaitingSecondFactor {
            user_id: owner.id,
            password_at: now,
            code_sends: 0,
        };
        let visitor = sessions::create(&state.db, &waiting, LIFETIMES, now)
            .await
            .unwrap();
        let logged_in = SessionState::logged_in(owner.id, now);
        let user = sessions::rotate(
            &state.db,
            Some(visitor.expose()),
            &logged_in,
            LIFETIMES,
            now,
        )
        .await
        .unwrap();
        assert!(
            sessions::load(&state.db, visitor.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            sessions::load(&state.db, user.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_some()
        );
        sessions::destroy(&state.db, user.expose()).await.unwrap();
        assert!(
            sessions::load(&state.db, user.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn a_password_reset_ends_the_sessions_waiting_for_a_second_factor_too() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let owner = common::active_user(&state, "reset-waiting@example.fr").await;
        let waiting = SessionState::AwaitingSecondFactor {
            user_id: owner.id,
            password_at: now,
            code_sends: 1,
        };
        let half = sessions::create(&state.db, &waiting, LIFETIMES, now)
            .await
            .unwrap();
        let full = sessions::create(
            &state.db,
            &SessionState::logged_in(owner.id, now),
            LIFETIMES,
            now,
        )
        .await
        .unwrap();
        app::backend::accounts::request_reset(&state, &owner.login_email, "192.0.2.8")
            .await
            .unwrap();
        let token = common::token_in(&common::last_mail(&state, &owner.login_email).await.unwrap());
        app::backend::accounts::set_password_with_link(&state, &token, "Nouveau-mot2passe!")
            .await
            .unwrap();
        for token in [half, full] {
            assert!(
                sessions::resume(&state.db, token.expose(), LIFETIMES, now)
                    .await
                    .unwrap()
                    .is_none(),
                "{}",
                backend.name
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_session_of_an_account_no_longer_active_is_ended_and_the_export_refuses_it() {
    use app::backend::entities::user::{self, UserStatus};
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let owner = common::active_user(&state, "disabled@example.fr").await;
        let token = sessions::create(
            &state.db,
            &SessionState::logged_in(owner.id, now),
            LIFETIMES,
            now,
        )
        .await
        .unwrap();
        assert!(
            sessions::logged_in_user(&state.db, token.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_some()
        );
        let mut disabled = owner.clone().into_active_model();
        disabled.status = Set(UserStatus::Disabled);
        let _: user::Model = disabled.update(&state.db).await.unwrap();
        assert!(
            sessions::logged_in_user(&state.db, token.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            session::Entity::find().count(&state.db).await.unwrap(),
            0,
            "{}",
            backend.name
        );

        // A session waiting for its second factor is not logged in.
        let reactivated = user::ActiveModel {
            id: Set(owner.id),
            status: Set(UserStatus::Active),
            ..Default::default()
        };
        reactivated.update(&state.db).await.unwrap();
        let waiting = SessionState::AwaitingSecondFactor {
            user_id: owner.id,
            password_at: now,
            code_sends: 0,
        };
        let half = sessions::create(&state.db, &waiting, LIFETIMES, now)
            .await
            .unwrap();
        assert!(
            sessions::resume(&state.db, half.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::logged_in_user(&state.db, half.expose(), LIFETIMES, now)
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}
