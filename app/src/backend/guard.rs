//! The brute-force guard of every step that proves who a user is (rule L5):
//! the password, the e-mailed code, the authenticator app's code, a
//! security key's answer, and the re-authentications of *Mes facteurs
//! d'authentification* (their password step). One guard, so a wrong code counts exactly like a
//! wrong password.
//!
//! Three counters ([`crate::backend::throttle`]), all decaying:
//! - **this client on this account** (`pair:`): `max_failed_logins` tries per
//!   `lockout_minutes`, then locked for `lockout_minutes`. This is the lock a
//!   person sees after a few typos;
//! - **the account, from anywhere** (`account:`): after
//!   [`ACCOUNT_TRIES_PER_HOUR`] tries in an hour, each further try holds the
//!   account for [`ACCOUNT_SLOWDOWN_SECONDS`]. A stranger who knows the login
//!   address can slow its owner down, never lock them out, and an attacker
//!   with many addresses gets about one guess a minute;
//! - **the client, for any account** (`client:`): [`CLIENT_MAX_FAILURES`]
//!   failures per `lockout_minutes` stop one address spraying many accounts.
//!
//! Tries in flight: a reservation counts a try before it is verified, so a
//! lock may come from tries that turn out right; while such tries are in
//! flight, a locked try waits a moment rather than being refused
//! ([`reserve_waiting`]).
//!
//! The account is named by the hash of its normalised login address, whether
//! or not it has an account, so a lock-out reveals nothing. Every lock-out
//! is written to the audit log.

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::error::{Outcome, refuse};
use crate::backend::secrets::hash_secret;
use crate::backend::state::AppState;
use crate::backend::throttle::{self, Limit, Try};
use crate::domain::account::normalize_email;
use crate::domain::login::LoginRefusal;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Tries on one account, from any client, before it is slowed down.
pub const ACCOUNT_TRIES_PER_HOUR: u32 = 30;
/// How long each try past that limit holds the account.
pub const ACCOUNT_SLOWDOWN_SECONDS: i64 = 60;
/// Failures from one client address, for any account, per lock period.
pub const CLIENT_MAX_FAILURES: u32 = 20;

/// The counters of one attempt: this login address from this client.
#[derive(Debug, Clone)]
pub struct Guard {
    user_id: Option<i32>,
    client_ip: String,
    pair: String,
    account: String,
    client: String,
}

impl Guard {
    /// The guard of an attempt on `login_email` (any spelling) from
    /// `client_ip`; `user_id` only names the account in the audit log.
    pub fn new(login_email: &str, user_id: Option<i32>, client_ip: &str) -> Guard {
        let account = hash_secret(&normalize_email(login_email));
        Guard {
            user_id,
            client_ip: client_ip.to_owned(),
            pair: format!("pair:{account}:{client_ip}"),
            account: format!("account:{account}"),
            client: format!("client:{client_ip}"),
        }
    }

    /// Reserves a try, or refuses with the time the lock ends. Hold the
    /// answer until the try has succeeded or failed.
    pub async fn reserve(&self, state: &AppState) -> Outcome<Verifying> {
        let db = &state.db;
        let now = state.clock.now();
        let verifying = state.in_flight.enter(&[&self.pair, &self.account]);
        if let Some(until) = throttle::locked_until(db, &self.client, now).await? {
            return self.locked(db, "login.locked_client", until, now).await;
        }
        if let Try::Locked { until } = reserve_waiting(state, &self.pair, pair_limit(state)).await?
        {
            return self
                .locked(db, "login.locked", until, state.clock.now())
                .await;
        }
        if let Try::Locked { until } = reserve_waiting(state, &self.account, ACCOUNT_LIMIT).await? {
            return self
                .locked(db, "login.slowed", until, state.clock.now())
                .await;
        }
        Ok(verifying)
    }

    /// The try failed: it also counts against the client address.
    pub async fn failed(&self, state: &AppState) -> Result<(), DbErr> {
        let now = state.clock.now();
        throttle::count_failure(&state.db, &self.client, client_limit(state), now).await
    }

    /// The try succeeded: this client's and the account's counts start again.
    pub async fn succeeded<C: ConnectionTrait>(&self, conn: &C) -> Result<(), DbErr> {
        throttle::succeeded(conn, &self.pair).await?;
        throttle::succeeded(conn, &self.account).await
    }

    async fn locked<C: ConnectionTrait, T>(
        &self,
        conn: &C,
        event: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Outcome<T> {
        let entry = AuditEntry {
            actor_user_id: self.user_id,
            event,
            subject: Subject::user(self.user_id),
            client_ip: Some(self.client_ip.clone()),
            details: serde_json::json!({ "until": until.to_rfc3339() }),
        };
        audit::record(conn, entry, now).await?;
        refuse(LoginRefusal::Locked { until })
    }
}

/// How long a try waits, at most, on a lock that tries in flight may lift.
pub const IN_FLIGHT_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
const IN_FLIGHT_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// The tries of this server instance that are reserving or being verified
/// now, per counter key (see [`reserve_waiting`]).
#[derive(Debug, Default)]
pub struct InFlight(Mutex<HashMap<String, u32>>);

impl InFlight {
    fn enter(self: &Arc<Self>, keys: &[&str]) -> Verifying {
        if let Ok(mut counts) = self.0.lock() {
            for key in keys {
                *counts.entry((*key).to_owned()).or_default() += 1;
            }
        }
        Verifying {
            in_flight: Arc::clone(self),
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    fn count(&self, key: &str) -> u32 {
        self.0
            .lock()
            .map(|counts| counts.get(key).copied().unwrap_or_default())
            .unwrap_or_default()
    }
}

/// A try in flight: returned by [`Guard::reserve`], held while the try is
/// verified, and released when dropped (after `succeeded` or `failed`).
#[must_use = "hold it until the try has succeeded or failed"]
pub struct Verifying {
    in_flight: Arc<InFlight>,
    keys: Vec<String>,
}

impl Drop for Verifying {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.in_flight.0.lock() {
            for key in &self.keys {
                if let Some(count) = counts.get_mut(key) {
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        counts.remove(key);
                    }
                }
            }
        }
    }
}

/// [`throttle::reserve`], waiting while other tries of the same key are in
/// flight in this instance. A reservation counts a try before it is
/// verified (so fifty guesses sent at once get `max` verifications, not
/// fifty), and the try that reaches `max` locks at once; when those tries
/// turn out right, their success lifts the lock a moment later. So a locked
/// try waits (polling, at most [`IN_FLIGHT_WAIT`]) while others are in
/// flight: ten tabs or a script logging in at once with the right password
/// all pass, and guesses still get `max` verifications, then the lock
/// (issue 16). With nothing in flight the lock is answered at once. Tries in
/// flight on another instance sharing the database are not seen: there a
/// burst of right logins may still meet the lock.
async fn reserve_waiting(state: &AppState, key: &str, limit: Limit) -> Result<Try, DbErr> {
    let deadline = tokio::time::Instant::now() + IN_FLIGHT_WAIT;
    loop {
        let answer = throttle::reserve(&state.db, key, limit, state.clock.now()).await?;
        // This try is one of the tries in flight: wait only for others.
        let others = state.in_flight.count(key).saturating_sub(1);
        if answer == Try::Granted || others == 0 || tokio::time::Instant::now() >= deadline {
            return Ok(answer);
        }
        tokio::time::sleep(IN_FLIGHT_POLL).await;
    }
}

const ACCOUNT_LIMIT: Limit = Limit {
    max: ACCOUNT_TRIES_PER_HOUR,
    window: Duration::hours(1),
    lock: Duration::seconds(ACCOUNT_SLOWDOWN_SECONDS),
};

fn lock_period(state: &AppState) -> Duration {
    Duration::minutes(i64::from(state.settings.security.lockout_minutes.max(1)))
}

fn pair_limit(state: &AppState) -> Limit {
    let period = lock_period(state);
    Limit {
        max: state.settings.security.max_failed_logins.max(1),
        window: period,
        lock: period,
    }
}

fn client_limit(state: &AppState) -> Limit {
    let period = lock_period(state);
    Limit {
        max: CLIENT_MAX_FAILURES,
        window: period,
        lock: period,
    }
}
