//! Rule L6: sessions end at logout, after idling, and at their absolute
//! limit, on the server's clock; their id changes at login.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::entities::session;
use app::backend::secrets::Token;
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::domain::factors::Factor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

const LIFETIMES: Lifetimes = Lifetimes {
    idle: Duration::minutes(30),
    absolute: Duration::hours(12),
};

/// Starts a session in `state` at `now`.
async fn start(db: &DatabaseConnection, state: &SessionState, now: DateTime<Utc>) -> Token {
    sessions::create(db, state, LIFETIMES, now).await.unwrap()
}

/// A session waiting for the second factor of `user_id`.
fn awaiting_second_factor(user_id: i32, now: DateTime<Utc>, code_sends: u32) -> SessionState {
    SessionState::AwaitingSecondFactor {
        user_id,
        password_at: now,
        code_sends,
    }
}

/// Whether `token` still opens its session at `now` (which marks it used).
async fn opens(db: &DatabaseConnection, token: &Token, now: DateTime<Utc>) -> bool {
    sessions::load(db, token.expose(), LIFETIMES, now)
        .await
        .unwrap()
        .is_some()
}

/// Whether `token` resumes a session of an active account at `now`.
async fn resumes(db: &DatabaseConnection, token: &Token, now: DateTime<Utc>) -> bool {
    sessions::resume(db, token.expose(), LIFETIMES, now)
        .await
        .unwrap()
        .is_some()
}

/// Whether `token` is the session of a logged-in active account at `now`.
async fn logs_in(db: &DatabaseConnection, token: &Token, now: DateTime<Utc>) -> bool {
    sessions::logged_in_user(db, token.expose(), LIFETIMES, now)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn a_session_lives_while_used_and_ends_after_idling() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = common::active_user(&state, "idle@example.fr").await;
        let logged_in = SessionState::logged_in(user.id, state.clock.now(), Factor::EmailCode);
        let token = start(&state.db, &logged_in, state.clock.now()).await;
        // The database keeps the hash only.
        let row = session::Entity::find()
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(row.id, token.expose());

        state.clock.advance(29 * 60);
        assert!(opens(&state.db, &token, state.clock.now()).await);
        state.clock.advance(29 * 60);
        assert!(opens(&state.db, &token, state.clock.now()).await);
        state.clock.advance(31 * 60);
        assert!(!opens(&state.db, &token, state.clock.now()).await);
        assert_eq!(
            session::Entity::find().count(&state.db).await.unwrap(),
            0,
            "{}",
            backend.name
        );
    })
    .await;
}

/// Reading a session writes its "last seen" at most once a minute (the
/// write lock made every logged-in page wait, issue 16), and the session
/// still lives as long as it is used.
#[tokio::test]
async fn a_session_is_marked_used_at_most_once_a_minute() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = common::active_user(&state, "seen@example.fr").await;
        let opened_at = state.clock.now();
        let token = start(
            &state.db,
            &SessionState::logged_in(user.id, opened_at, Factor::EmailCode),
            opened_at,
        )
        .await;
        let last_seen = async || {
            let row = session::Entity::find()
                .one(&state.db)
                .await
                .unwrap()
                .unwrap();
            row.last_seen_at
        };
        state.clock.advance(59);
        assert!(opens(&state.db, &token, state.clock.now()).await);
        // (PostgreSQL keeps microseconds: compare to the second.)
        let seen = last_seen().await;
        assert_eq!(seen.timestamp(), opened_at.timestamp(), "{}", backend.name);
        state.clock.advance(1);
        assert!(opens(&state.db, &token, state.clock.now()).await);
        let seen = last_seen().await;
        assert_eq!(
            seen.timestamp(),
            state.clock.now().timestamp(),
            "{}",
            backend.name
        );
        // Used every 50 s for an hour: never idle for 30 minutes.
        for _ in 0..72 {
            state.clock.advance(50);
            assert!(
                opens(&state.db, &token, state.clock.now()).await,
                "{}",
                backend.name
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_even_when_used() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = common::active_user(&state, "absolute@example.fr").await;
        let logged_in = SessionState::logged_in(user.id, state.clock.now(), Factor::EmailCode);
        let token = start(&state.db, &logged_in, state.clock.now()).await;
        for _ in 0..(12 * 3 - 1) {
            state.clock.advance(20 * 60);
            assert!(opens(&state.db, &token, state.clock.now()).await);
        }
        state.clock.advance(20 * 60 + 1);
        assert!(!opens(&state.db, &token, state.clock.now()).await);
    })
    .await;
}

#[tokio::test]
async fn logout_and_rotation_end_the_old_token() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let owner = common::active_user(&state, "rotate@example.fr").await;
        let waiting = awaiting_second_factor(owner.id, now, 0);
        let visitor = start(&state.db, &waiting, now).await;
        let logged_in = SessionState::logged_in(owner.id, now, Factor::EmailCode);
        let user = sessions::rotate(
            &state.db,
            Some(visitor.expose()),
            &logged_in,
            LIFETIMES,
            now,
            sessions::OpenedFrom::default(),
        )
        .await
        .unwrap();
        assert!(!opens(&state.db, &visitor, now).await);
        assert!(opens(&state.db, &user, now).await);
        sessions::destroy(&state.db, user.expose()).await.unwrap();
        assert!(!opens(&state.db, &user, now).await);
    })
    .await;
}

#[tokio::test]
async fn a_password_reset_ends_the_sessions_waiting_for_a_second_factor_too() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let now = state.clock.now();
        let owner = common::active_user(&state, "reset-waiting@example.fr").await;
        let waiting = awaiting_second_factor(owner.id, now, 1);
        let half = start(&state.db, &waiting, now).await;
        let full = start(
            &state.db,
            &SessionState::logged_in(owner.id, now, Factor::EmailCode),
            now,
        )
        .await;
        app::backend::accounts::request_reset(&state, &owner.login_email, "192.0.2.8")
            .await
            .unwrap();
        let token = common::token_in(&common::last_mail(&state, &owner.login_email).await.unwrap());
        app::backend::accounts::set_password_with_link(&state, &token, "Nouveau-mot2passe!")
            .await
            .unwrap();
        for token in [half, full] {
            assert!(!resumes(&state.db, &token, now).await, "{}", backend.name);
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
        let token = start(
            &state.db,
            &SessionState::logged_in(owner.id, now, Factor::EmailCode),
            now,
        )
        .await;
        assert!(logs_in(&state.db, &token, now).await);
        let mut disabled = owner.clone().into_active_model();
        disabled.status = Set(UserStatus::Disabled);
        let _: user::Model = disabled.update(&state.db).await.unwrap();
        assert!(!logs_in(&state.db, &token, now).await);
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
        let waiting = awaiting_second_factor(owner.id, now, 0);
        let half = start(&state.db, &waiting, now).await;
        assert!(resumes(&state.db, &half, now).await);
        assert!(!logs_in(&state.db, &half, now).await);
    })
    .await;
}
