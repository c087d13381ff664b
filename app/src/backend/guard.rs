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
//! The account is named by the hash of its normalised login address, whether
//! or not it has an account, so a lock-out reveals nothing. Every lock-out
//! is written to the audit log.

use crate::backend::audit::{self, AuditEntry};
use crate::backend::error::{Outcome, refuse};
use crate::backend::secrets::hash_secret;
use crate::backend::state::AppState;
use crate::backend::throttle::{self, Limit, Try};
use crate::domain::account::normalize_email;
use crate::domain::login::LoginRefusal;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr};

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

    /// Reserves a try, or refuses with the time the lock ends.
    pub async fn reserve(&self, state: &AppState) -> Outcome<()> {
        let db = &state.db;
        let now = state.clock.now();
        if let Some(until) = throttle::locked_until(db, &self.client, now).await? {
            return self.locked(db, "login.locked_client", until, now).await;
        }
        if let Try::Locked { until } =
            throttle::reserve(db, &self.pair, pair_limit(state), now).await?
        {
            return self.locked(db, "login.locked", until, now).await;
        }
        if let Try::Locked { until } =
            throttle::reserve(db, &self.account, ACCOUNT_LIMIT, now).await?
        {
            return self.locked(db, "login.slowed", until, now).await;
        }
        Ok(())
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

    async fn locked<C: ConnectionTrait>(
        &self,
        conn: &C,
        event: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Outcome<()> {
        let entry = AuditEntry {
            actor_user_id: self.user_id,
            event,
            subject: self.user_id.map(|id| id.to_string()),
            client_ip: Some(self.client_ip.clone()),
            details: serde_json::json!({ "until": until.to_rfc3339() }),
        };
        audit::record(conn, entry, now).await?;
        refuse(LoginRefusal::Locked { until })
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
