//! Rule L5: the failure counter is atomic and the lock-out ends by itself.

mod common;

use app::backend::throttle::{self, Limit, Try};
use chrono::Duration;

const LIMIT: Limit = Limit { max: 5, lock: Duration::minutes(15) };

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_attempts_get_no_more_tries_than_the_limit() {
    for backend in common::backends().await {
        let state = backend.state();
        let now = state.clock.now();
        let attempts: Vec<_> = (0..50)
            .map(|_| {
                let db = state.db.clone();
                tokio::spawn(async move { throttle::reserve(&db, "account:1", LIMIT, now).await })
            })
            .collect();
        let mut granted = 0;
        let mut locked = 0;
        for attempt in attempts {
            match attempt.await.unwrap().unwrap() {
                Try::Granted => granted += 1,
                Try::Locked { until } => {
                    // PostgreSQL keeps microseconds, not nanoseconds.
                    let gap = (until - (now + LIMIT.lock)).num_milliseconds().abs();
                    assert!(gap < 1, "locked until {until}");
                    locked += 1;
                }
            }
        }
        assert_eq!((granted, locked), (5, 45), "{}", backend.name);
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn the_lock_ends_by_itself_and_a_success_resets_the_count() {
    for backend in common::backends().await {
        let state = backend.state();
        let key = "account:2";
        for _ in 0..5 {
            assert_eq!(throttle::reserve(&state.db, key, LIMIT, state.clock.now()).await.unwrap(), Try::Granted);
        }
        let now = state.clock.now();
        assert!(matches!(throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(), Try::Locked { .. }));
        assert!(throttle::locked_until(&state.db, key, now).await.unwrap().is_some());

        // Fourteen minutes later: still locked. Sixteen: a fresh count.
        state.clock.advance(14 * 60);
        assert!(matches!(
            throttle::reserve(&state.db, key, LIMIT, state.clock.now()).await.unwrap(),
            Try::Locked { .. }
        ));
        state.clock.advance(2 * 60);
        let now = state.clock.now();
        assert_eq!(throttle::locked_until(&state.db, key, now).await.unwrap(), None);
        for _ in 0..4 {
            assert_eq!(throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(), Try::Granted);
        }
        // A success before the limit: the count starts again from zero.
        throttle::succeeded(&state.db, key).await.unwrap();
        for _ in 0..5 {
            assert_eq!(throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(), Try::Granted);
        }
        assert!(matches!(throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(), Try::Locked { .. }));
        // Keys do not share counts.
        assert_eq!(throttle::reserve(&state.db, "account:3", LIMIT, now).await.unwrap(), Try::Granted);
        backend.cleanup().await;
    }
}
