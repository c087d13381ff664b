//! The server's clock. Every expiry in the product (links, codes, lock-outs,
//! sessions, password expiry) reads it, so the test support (rule R-T1) can
//! move time forward end to end. In production the offset stays zero.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    /// The current time as the product sees it.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `seconds` (never backward: expiries that
    /// already happened stay happened).
    pub fn advance(&self, seconds: u32) -> DateTime<Utc> {
        self.offset_seconds
            .fetch_add(i64::from(seconds), Ordering::Relaxed);
        self.now()
    }

    /// Back to real time.
    pub fn reset(&self) -> DateTime<Utc> {
        self.offset_seconds.store(0, Ordering::Relaxed);
        self.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_and_reset_returns_to_real_time() {
        let clock = Clock::default();
        let before = clock.now();
        let advanced = clock.advance(3600);
        assert!(advanced - before >= Duration::seconds(3600));
        let reset = clock.reset();
        assert!(reset - before < Duration::seconds(60));
    }
}
