//! How many panics the server has met since it started.
//!
//! A panic in a request handler is caught at the edge (`CatchPanicLayer`:
//! the request answers 500, the connection lives on) and printed once by the
//! standard hook. Counting them lets the load test (issue 16) assert that a
//! minute of traffic from 64 connections met none, including panics in
//! spawned tasks, which no response would show; test support reads the
//! count at `/__test/panics`.

use std::sync::atomic::{AtomicU64, Ordering};

static SEEN: AtomicU64 = AtomicU64::new(0);

/// Wraps the current panic hook (which still prints the panic) with a
/// counter. Call once, at start.
pub fn count_them() {
    let print = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        SEEN.fetch_add(1, Ordering::Relaxed);
        print(info);
    }));
}

/// Panics seen since [`count_them`] was called.
pub fn seen() -> u64 {
    SEEN.load(Ordering::Relaxed)
}
