//! A structure's technical user and the credentials its software calls the
//! API with (rules T1–T4, issue 17): the login, who may act on it, the
//! generated passwords and client secrets, the password's expiry and the
//! warnings before it, and the `cpro-account` header's split.
//!
//! Plain rules, tested here. The backend stores and applies them; the pages
//! only show what they decide. Randomness comes from the caller (a byte
//! source), so that the generator is the same code in the tests and on the
//! server, which feeds it from the operating system.

use super::attachments::Standing;
use super::refusal::Refusal;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// What every technical login starts with (T1).
pub const LOGIN_PREFIX: &str = "TECH_";

/// How long a technical password lasts unless `Leptos.toml` says otherwise
/// (T1: the public platform renews it every 424 days).
pub const DEFAULT_PASSWORD_DAYS: u32 = 424;

/// How many days before its expiry the primary manager is warned, the first
/// warning first (issue 17 §3).
pub const WARNING_DAYS: [i64; 2] = [30, 7];

/// The length of a generated password, client id or client secret: 32
/// characters out of [`UNRESERVED`]'s 66 are about 193 bits, beyond any
/// guessing, which is what lets the backend keep only a SHA-256 of them, as
/// it does of session tokens, instead of running argon2 on every API call.
pub const GENERATED_LENGTH: usize = 32;

/// The characters a generated credential is made of: RFC 3986's unreserved
/// characters, which survive a URL, a form body and an HTTP header
/// unencoded (some clients put them in a form body without encoding it).
/// `-`, `.`, `_` and `~` are the special characters rule A4 asks for.
pub const UNRESERVED: &[u8; 66] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// How many API clients a structure may hold unrevoked at once (T4): one
/// per piece of software, with room to replace them one by one.
pub const MAX_CLIENTS: u64 = 10;

/// How long an access token lasts (T4): an hour, the least the clients
/// expect, and they do not retry after a 401, so a token stays valid for
/// its whole life.
pub const TOKEN_SECONDS: i64 = 3600;

/// How long a password shown on *Compte technique* may still be submitted
/// (T3): long enough to copy it into the software's settings, short enough
/// that a screen left open does not put an old proposal in force.
pub const PROPOSAL_MINUTES: i64 = 15;

/// *Type de demande* on *Compte technique*, in the seeds' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TechnicalRequest {
    Activate,
    ChangeContact,
    Create,
    Deactivate,
    ResetPassword,
}

impl TechnicalRequest {
    /// Every request type, in the order the select offers them.
    pub const ALL: [TechnicalRequest; 5] = [
        TechnicalRequest::Activate,
        TechnicalRequest::ChangeContact,
        TechnicalRequest::Create,
        TechnicalRequest::Deactivate,
        TechnicalRequest::ResetPassword,
    ];

    /// The select's value for this type (stable, for the tests too).
    pub fn code(self) -> &'static str {
        match self {
            TechnicalRequest::Activate => "activer",
            TechnicalRequest::ChangeContact => "contact",
            TechnicalRequest::Create => "creer",
            TechnicalRequest::Deactivate => "desactiver",
            TechnicalRequest::ResetPassword => "reinitialiser",
        }
    }

    pub fn from_code(code: &str) -> Option<TechnicalRequest> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the form offers *Soumettre*: never for the contact (it is
    /// changed in *Mon compte*), for a reset only while a proposed password
    /// is shown and not yet in force (it is what *Soumettre* puts in force).
    pub fn offers_submit(self, proposal_shown: bool) -> bool {
        match self {
            TechnicalRequest::ChangeContact => false,
            TechnicalRequest::ResetPassword => proposal_shown,
            _ => true,
        }
    }
}

/// Whether a technical user may call the API (T1); one that is not keeps its
/// line, its dates and its contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TechnicalStatus {
    Active,
    Inactive,
}

/// Why acting on a structure's technical user is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TechnicalRefusal {
    /// An attached user who is not the primary manager (T2): told so, as
    /// the application's page explains who may act.
    NotPrimaryManager,
    /// *Création d'un compte technique* for a structure that has one (T1).
    AlreadyCreated,
    /// Any other request for a structure that has none yet.
    NotCreated,
    /// Another request changed it first (two resets sent at once).
    ChangedMeanwhile,
    /// A new API client while [`MAX_CLIENTS`] are unrevoked.
    TooManyClients,
    /// *Soumettre* with a password that is not the one last shown, or shown
    /// more than [`PROPOSAL_MINUTES`] ago: nothing changed, ask again.
    ProposalExpired,
}

/// Why the API refuses a technical user's password (T4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CredentialProblem {
    Deactivated,
    Expired,
}

/// `TECH_<identifier>@<platform domain>` (T1). An identifier holds letters,
/// digits and at most `-`, `.` or `_` once checked
/// (`domain::identifiers`); anything else would be replaced by `_`, so that
/// the login stays a valid address whatever the identifier type.
pub fn login_of(identifier: &str, platform_domain: &str) -> String {
    let local: String = identifier
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{LOGIN_PREFIX}{local}@{platform_domain}")
}

/// Only the structure's primary manager acts on its technical user and its
/// API clients (T2); a user not attached to the structure is told nothing
/// more than "not found" (rule H6).
pub fn may_act(standing: Standing) -> Result<(), Refusal> {
    match standing {
        Standing::PrimaryManager => Ok(()),
        Standing::Manager | Standing::Member => Err(TechnicalRefusal::NotPrimaryManager.into()),
        Standing::Stranger => Err(Refusal::NotFound),
    }
}

/// A random string of [`GENERATED_LENGTH`] characters of [`UNRESERVED`],
/// drawn without bias from `random_byte` (bytes from 198 up are drawn
/// again: 198 is the largest multiple of 66 that a byte holds).
pub fn generate(random_byte: &mut impl FnMut() -> u8) -> String {
    let limit = (256 / UNRESERVED.len() * UNRESERVED.len()) as u8;
    let mut out = String::with_capacity(GENERATED_LENGTH);
    while out.len() < GENERATED_LENGTH {
        let byte = random_byte();
        if byte < limit {
            out.push(char::from(UNRESERVED[usize::from(byte) % UNRESERVED.len()]));
        }
    }
    out
}

/// A new technical password (T3): generated until it holds every character
/// class of rule A4 (about one draw in seven misses a special character or
/// a digit and is drawn again). Its length and randomness put it beyond the
/// policy's other checks (common and personal passwords), which the tests
/// confirm.
pub fn generate_password(random_byte: &mut impl FnMut() -> u8) -> String {
    loop {
        let candidate = generate(random_byte);
        let bytes = candidate.as_bytes();
        let holds = |class: fn(&u8) -> bool| bytes.iter().any(class);
        if holds(u8::is_ascii_digit)
            && holds(u8::is_ascii_lowercase)
            && holds(u8::is_ascii_uppercase)
            && holds(|b| !b.is_ascii_alphanumeric())
        {
            return candidate;
        }
    }
}

/// When a password set at `set_at` stops working, `days` later (at least
/// one day, whatever the configuration says), to the second: the same
/// instant on every database (PostgreSQL keeps microseconds, SQLite more).
pub fn expires_at(set_at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    (set_at + Duration::days(i64::from(days.max(1)))).trunc_subsecs(0)
}

/// Whether a password proposed at `proposed_at` may still be put in force
/// at `now` (T3).
pub fn proposal_current(proposed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    proposed_at <= now && now - proposed_at <= Duration::minutes(PROPOSAL_MINUTES)
}

/// Whether the API accepts this technical user's password at `now` (T4).
pub fn usable(
    status: TechnicalStatus,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), CredentialProblem> {
    if status == TechnicalStatus::Inactive {
        Err(CredentialProblem::Deactivated)
    } else if now >= expires_at {
        Err(CredentialProblem::Expired)
    } else {
        Ok(())
    }
}

/// The warning to send at `now`, if one is due: the nearest of
/// [`WARNING_DAYS`] that the expiry is within, unless that one or a nearer
/// one was already sent (`last_sent`: the days of the last warning sent for
/// this password; a new password starts again with `None`). A password set
/// 5 days before its expiry gets the 7-day warning only; an expired one gets
/// none (the API refuses it and says why).
pub fn warning_due(
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
    last_sent: Option<i64>,
) -> Option<i64> {
    if now >= expires_at {
        return None;
    }
    let due = WARNING_DAYS
        .into_iter()
        .filter(|days| expires_at - now <= Duration::days(*days))
        .min()?;
    match last_sent {
        Some(sent) if sent <= due => None,
        _ => Some(due),
    }
}

/// The login and password of a decoded `cpro-account` header
/// (`<login>:<password>`): split at the first colon, since a password may
/// hold one and a login may not. `None` when either half is empty.
pub fn split_account(decoded: &str) -> Option<(&str, &str)> {
    let (login, password) = decoded.split_once(':')?;
    (!login.is_empty() && !password.is_empty()).then_some((login, password))
}

/// Whether `text` is a plausible generated credential: the right length,
/// unreserved characters only. Checked before any lookup, so that hostile
/// input never reaches the database.
pub fn is_generated_shape(text: &str) -> bool {
    text.len() == GENERATED_LENGTH && text.bytes().all(|b| UNRESERVED.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A deterministic byte source (xorshift), enough for the rules' tests.
    fn bytes(seed: u32) -> impl FnMut() -> u8 {
        let mut state = seed.max(1);
        move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        }
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn submit_is_offered_for_a_reset_only_while_its_proposal_is_shown() {
        use TechnicalRequest::*;
        assert!(!ResetPassword.offers_submit(false));
        assert!(ResetPassword.offers_submit(true));
        assert!(!ChangeContact.offers_submit(true));
        for request in [Activate, Create, Deactivate] {
            assert!(request.offers_submit(false) && request.offers_submit(true));
        }
    }

    #[test]
    fn the_login_names_the_structure_on_the_platform_domain() {
        assert_eq!(
            login_of("90100008300013", "portail.example.fr"),
            "TECH_90100008300013@portail.example.fr"
        );
        assert_eq!(login_of("BE 0123/45", "p.fr"), "TECH_BE_0123_45@p.fr");
    }

    #[test]
    fn only_the_primary_manager_acts_and_others_are_told_why() {
        assert_eq!(may_act(Standing::PrimaryManager), Ok(()));
        for standing in [Standing::Manager, Standing::Member] {
            let told = Refusal::Technical(TechnicalRefusal::NotPrimaryManager);
            assert_eq!(may_act(standing), Err(told));
        }
        assert_eq!(may_act(Standing::Stranger), Err(Refusal::NotFound));
    }

    #[test]
    fn generated_credentials_are_long_unreserved_and_unbiased() {
        let mut source = bytes(7);
        let mut seen = [0u32; 66];
        for _ in 0..300 {
            let generated = generate(&mut source);
            assert!(is_generated_shape(&generated), "{generated}");
            for b in generated.bytes() {
                if let Some(i) = UNRESERVED.iter().position(|u| *u == b) {
                    seen[i] += 1;
                }
            }
        }
        // 9 600 draws over 66 characters: each about 145 times.
        assert!(seen.iter().all(|n| (90..=200).contains(n)), "{seen:?}");
        // Bytes from 198 up are drawn again, never folded onto the first
        // characters.
        let mut high_then_low = [255u8, 198, 0].into_iter().cycle();
        let generated = generate(&mut || high_then_low.next().unwrap_or(0));
        assert_eq!(generated, "A".repeat(GENERATED_LENGTH));
    }

    #[test]
    fn a_generated_password_meets_the_whole_policy() {
        use crate::domain::password::{self, Criterion, PersonalData};
        let login = login_of("90100008300013", "p.fr");
        let personal = PersonalData::new("", "", &login);
        for seed in 1..200 {
            let generated = generate_password(&mut bytes(seed));
            let mut unmet = password::check(&generated, &personal).unmet();
            // The browser's tests have no common-password list to search.
            if cfg!(target_arch = "wasm32") {
                unmet.retain(|c| *c != Criterion::NotCommon);
            }
            assert!(unmet.is_empty(), "{generated}: {unmet:?}");
            assert!(is_generated_shape(&generated));
        }
    }

    #[test]
    fn a_password_expires_after_its_days_and_then_stops_working() {
        let set = at(1);
        let expiry = expires_at(set, DEFAULT_PASSWORD_DAYS);
        assert_eq!(expiry - set, Duration::days(424));
        assert_eq!(expires_at(set, 0) - set, Duration::days(1));
        let active = TechnicalStatus::Active;
        assert_eq!(
            usable(active, expiry, expiry - Duration::seconds(1)),
            Ok(())
        );
        assert_eq!(
            usable(active, expiry, expiry),
            Err(CredentialProblem::Expired)
        );
        assert_eq!(
            usable(TechnicalStatus::Inactive, expiry, set),
            Err(CredentialProblem::Deactivated)
        );
    }

    #[test]
    fn a_proposed_password_may_be_submitted_for_fifteen_minutes() {
        let shown = at(1);
        assert!(proposal_current(shown, shown));
        assert!(proposal_current(shown, shown + Duration::minutes(15)));
        assert!(!proposal_current(shown, shown + Duration::minutes(16)));
        // A clock that went back is not a licence.
        assert!(!proposal_current(shown, shown - Duration::minutes(1)));
    }

    #[test]
    fn request_types_round_trip_through_the_select() {
        for request in TechnicalRequest::ALL {
            assert_eq!(TechnicalRequest::from_code(request.code()), Some(request));
        }
        assert_eq!(TechnicalRequest::from_code("supprimer"), None);
    }

    #[test]
    fn warnings_come_at_thirty_and_seven_days_once_each() {
        let expiry = at(31);
        let days_before = |days: i64| expiry - Duration::days(days);
        assert_eq!(warning_due(expiry, days_before(31), None), None);
        assert_eq!(warning_due(expiry, days_before(30), None), Some(30));
        assert_eq!(warning_due(expiry, days_before(20), Some(30)), None);
        assert_eq!(warning_due(expiry, days_before(7), Some(30)), Some(7));
        assert_eq!(warning_due(expiry, days_before(3), Some(7)), None);
        // Set close to its expiry: only the nearer warning.
        assert_eq!(warning_due(expiry, days_before(5), None), Some(7));
        // Expired: no warning; the API says why it refuses.
        assert_eq!(warning_due(expiry, expiry, None), None);
    }

    #[test]
    fn the_account_header_splits_at_the_first_colon() {
        assert_eq!(
            split_account("TECH_1@p.fr:a:b~c"),
            Some(("TECH_1@p.fr", "a:b~c"))
        );
        assert_eq!(split_account("TECH_1@p.fr"), None);
        assert_eq!(split_account(":secret"), None);
        assert_eq!(split_account("TECH_1@p.fr:"), None);
    }

    #[test]
    fn only_generated_shapes_are_looked_up() {
        assert!(is_generated_shape(&"a".repeat(32)));
        assert!(!is_generated_shape(&"a".repeat(31)));
        assert!(!is_generated_shape(&format!("{}%", "a".repeat(31))));
        assert!(!is_generated_shape(&format!("{}é", "a".repeat(30))));
    }
}
