//! Rule L6: sessions end at logout, after idling, and at their absolute
//! limit, on the server's clock; their id changes at login.

mod common;

use app::backend::entities::session;
use app::backend::sessions::{self, Lifetimes};
use chrono::Duration;
use sea_orm::{EntityTrait, PaginatorTrait};

const LIFETIMES: Lifetimes = Lifetimes { idle: Duration::minutes(30), absolute: Duration::hours(12) };

#[tokio::test]
async fn a_session_lives_while_used_and_ends_after_idling() {
    for backend in common::backends().await {
        let state = backend.state();
        let json = serde_json::json!({});
        let token = sessions::create(&state.db, None, json, LIFETIMES, state.clock.now()).await.unwrap();
        // The database keeps the hash only.
        let row = session::Entity::find().one(&state.db).await.unwrap().unwrap();
        assert_ne!(row.id, token.expose());

        state.clock.advance(29 * 60);
        assert!(sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now()).await.unwrap().is_some());
        state.clock.advance(29 * 60);
        assert!(sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now()).await.unwrap().is_some());
        state.clock.advance(31 * 60);
        assert!(sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now()).await.unwrap().is_none());
        assert_eq!(session::Entity::find().count(&state.db).await.unwrap(), 0, "{}", backend.name);
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_even_when_used() {
    for backend in common::backends().await {
        let state = backend.state();
        let token = sessions::create(&state.db, None, serde_json::json!({}), LIFETIMES, state.clock.now())
            .await
            .unwrap();
        for _ in 0..(12 * 3 - 1) {
            state.clock.advance(20 * 60);
            assert!(sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now()).await.unwrap().is_some());
        }
        state.clock.advance(20 * 60 + 1);
        assert!(sessions::load(&state.db, token.expose(), LIFETIMES, state.clock.now()).await.unwrap().is_none());
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn logout_and_rotation_end_the_old_token() {
    for backend in common::backends().await {
        let state = backend.state();
        let now = state.clock.now();
        let visitor = sessions::create(&state.db, None, serde_json::json!({}), LIFETIMES, now).await.unwrap();
        let user = sessions::rotate(&state.db, Some(visitor.expose()), None, serde_json::json!({}), LIFETIMES, now)
            .await
            .unwrap();
        assert!(sessions::load(&state.db, visitor.expose(), LIFETIMES, now).await.unwrap().is_none());
        assert!(sessions::load(&state.db, user.expose(), LIFETIMES, now).await.unwrap().is_some());
        sessions::destroy(&state.db, user.expose()).await.unwrap();
        assert!(sessions::load(&state.db, user.expose(), LIFETIMES, now).await.unwrap().is_none());
        backend.cleanup().await;
    }
}
