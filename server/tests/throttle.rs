//! Rule L5: the failure counter is atomic and the lock-out ends by itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::throttle::{self, Limit, Try};
use chrono::{DateTime, Duration, Utc};

const LIMIT: Limit = Limit {
    max: 5,
    window: Duration::minutes(15),
    lock: Duration::minutes(15),
};

/// One try on `key` under `limit`, at the server's time.
async fn try_now(state: &AppState, key: &str, limit: Limit) -> Try {
    throttle::reserve(&state.db, key, limit, state.clock.now())
        .await
        .unwrap()
}

/// One failure counted on `key`, at the server's time.
async fn fail_now(state: &AppState, key: &str) {
    throttle::count_failure(&state.db, key, LIMIT, state.clock.now())
        .await
        .unwrap();
}

/// The end of the lock on `key`, seen at the server's time.
async fn locked_until_now(state: &AppState, key: &str) -> Option<DateTime<Utc>> {
    throttle::locked_until(&state.db, key, state.clock.now())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_attempts_get_no_more_tries_than_the_limit() {
    common::on_every_backend(async |backend| {
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
    })
    .await;
}

#[tokio::test]
async fn the_lock_ends_by_itself_and_a_success_resets_the_count() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let key = "account:2";
        for _ in 0..5 {
            assert_eq!(try_now(&state, key, LIMIT).await, Try::Granted);
        }
        let now = state.clock.now();
        assert!(matches!(
            throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(),
            Try::Locked { .. }
        ));
        assert!(
            throttle::locked_until(&state.db, key, now)
                .await
                .unwrap()
                .is_some()
        );

        // Fourteen minutes later: still locked. Sixteen: a fresh count.
        state.clock.advance(14 * 60);
        assert!(matches!(
            try_now(&state, key, LIMIT).await,
            Try::Locked { .. }
        ));
        state.clock.advance(2 * 60);
        let now = state.clock.now();
        assert_eq!(
            throttle::locked_until(&state.db, key, now).await.unwrap(),
            None
        );
        for _ in 0..4 {
            assert_eq!(
                throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(),
                Try::Granted
            );
        }
        // A success before the limit: the count starts again from zero.
        throttle::succeeded(&state.db, key).await.unwrap();
        for _ in 0..5 {
            assert_eq!(
                throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(),
                Try::Granted
            );
        }
        assert!(matches!(
            throttle::reserve(&state.db, key, LIMIT, now).await.unwrap(),
            Try::Locked { .. }
        ));
        // Keys do not share counts.
        assert_eq!(
            throttle::reserve(&state.db, "account:3", LIMIT, now)
                .await
                .unwrap(),
            Try::Granted
        );
    })
    .await;
}

#[tokio::test]
async fn after_a_lock_ends_one_typo_does_not_lock_again() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let key = "pair:lock-then-typo";
        for _ in 0..5 {
            fail_now(&state, key).await;
        }
        assert!(locked_until_now(&state, key).await.is_some());
        state.clock.advance(15 * 60 + 1);
        fail_now(&state, key).await;
        assert_eq!(
            locked_until_now(&state, key).await,
            None,
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn failures_are_forgotten_after_the_window() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let key = "client:decay";
        // Four failures, then a quiet window, then four more: never locked.
        for _ in 0..2 {
            for _ in 0..4 {
                fail_now(&state, key).await;
            }
            state.clock.advance(16 * 60);
        }
        assert_eq!(
            locked_until_now(&state, key).await,
            None,
            "{}",
            backend.name
        );
        // Within one window the fifth failure locks.
        for _ in 0..5 {
            fail_now(&state, key).await;
        }
        assert!(locked_until_now(&state, key).await.is_some());
    })
    .await;
}

#[tokio::test]
async fn a_count_from_the_future_starts_again_when_the_clock_goes_back() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let key = "client:clock-back";
        // Four failures a day ahead (the test clock), then back to now:
        // that count would never reach its window's end.
        state.clock.advance(24 * 3600);
        for _ in 0..4 {
            fail_now(&state, key).await;
        }
        state.clock.reset();
        for _ in 0..4 {
            fail_now(&state, key).await;
        }
        assert_eq!(
            locked_until_now(&state, key).await,
            None,
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn attempts_that_read_the_clock_out_of_order_share_one_count() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let key = "client:interleaved";
        let base = state.clock.now();
        // Parallel requests read the clock, then write in another order:
        // each later write may carry an earlier time than the row's. The
        // count goes on; none of them starts it again.
        for i in 0..LIMIT.max {
            let now = if i % 2 == 0 {
                base + Duration::seconds(1)
            } else {
                base
            };
            throttle::count_failure(&state.db, key, LIMIT, now)
                .await
                .unwrap();
        }
        assert!(
            throttle::locked_until(&state.db, key, base)
                .await
                .unwrap()
                .is_some(),
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn a_slowdown_limit_holds_each_try_past_it_for_the_short_lock_only() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let slow = Limit {
            max: 3,
            window: Duration::hours(1),
            lock: Duration::seconds(60),
        };
        let key = "account:slow";
        for _ in 0..3 {
            assert_eq!(try_now(&state, key, slow).await, Try::Granted);
        }
        assert!(matches!(
            try_now(&state, key, slow).await,
            Try::Locked { .. }
        ));
        // A minute later one more try goes through, and holds the key again.
        state.clock.advance(61);
        assert_eq!(try_now(&state, key, slow).await, Try::Granted);
        assert!(matches!(
            try_now(&state, key, slow).await,
            Try::Locked { .. }
        ));
    })
    .await;
}
