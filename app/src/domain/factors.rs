//! Authentication factors (rules F1–F4, L3), the rules both sides share:
//! which second factor a login asks for and which others it offers, what a
//! device name and an app code look like, and when an authentication is
//! recent enough to change factors.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why a change of factor is refused (rules F1–F3); wrong codes and locks
/// are login refusals ([`super::login::LoginRefusal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactorRefusal {
    /// The account already has an authenticator app: delete it first (F2).
    TotpAlreadyExists,
    /// No authenticator app on this account.
    NoTotp,
    /// The app enrolment was not started in this session (or has ended).
    EnrolmentExpired,
    /// Security keys do not work at the portal's address (it is not a
    /// domain name).
    KeysUnavailable,
    /// No key ceremony to finish: never begun, expired, or already used.
    KeyCeremonyExpired,
    /// The key's answer did not verify, or the key is not the account's.
    KeyRejected,
    /// This security key is already registered.
    KeyAlreadyRegistered,
    /// The current password is wrong (*Changer mon mot de passe*).
    WrongCurrentPassword,
}

/// A second factor of the login (rule L3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Factor {
    /// The 6-digit code e-mailed to the login address: always available.
    EmailCode,
    /// The code of the authenticator app (TOTP).
    Totp,
    /// A security key (WebAuthn).
    SecurityKey,
}

/// What the second step of a login asks for, and the other ways offered
/// under *Se connecter d'une autre façon*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginFactors {
    pub asked: Factor,
    pub others: Vec<Factor>,
}

impl LoginFactors {
    /// The strongest registered factor is asked first (a key, then the app);
    /// the e-mailed code is always among the others, so that a lost phone or
    /// key never locks a user out.
    pub fn for_account(has_totp: bool, has_key: bool) -> LoginFactors {
        let mut registered: Vec<Factor> = Vec::new();
        if has_key {
            registered.push(Factor::SecurityKey);
        }
        if has_totp {
            registered.push(Factor::Totp);
        }
        registered.push(Factor::EmailCode);
        let asked = registered.remove(0);
        LoginFactors {
            asked,
            others: registered,
        }
    }

    /// Whether this factor may be used for this login.
    pub fn allows(&self, factor: Factor) -> bool {
        self.asked == factor || self.others.contains(&factor)
    }
}

/// The longest name of a device or key, in characters.
pub const MAX_DEVICE_NAME: usize = 60;

/// Why a device name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceNameProblem {
    Missing,
    TooLong,
}

/// A device or key name, trimmed: not empty, at most [`MAX_DEVICE_NAME`]
/// characters, control characters removed.
pub fn check_device_name(name: &str) -> Result<String, DeviceNameProblem> {
    let cleaned: String = name.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        Err(DeviceNameProblem::Missing)
    } else if cleaned.chars().count() > MAX_DEVICE_NAME {
        Err(DeviceNameProblem::TooLong)
    } else {
        Ok(cleaned.to_owned())
    }
}

/// A 6-digit code as typed (spaces allowed: apps show `123 456`), or `None`
/// when it cannot be one.
pub fn normalize_code(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Minutes after a login (or a password confirmation) during which factors
/// may be changed without confirming the password again.
pub const RECENT_AUTHENTICATION_MINUTES: i64 = 10;

/// Whether an authentication at `at` is recent at `now`.
pub fn is_recent(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    at.is_some_and(|at| at <= now && now - at < Duration::minutes(RECENT_AUTHENTICATION_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_e_mailed_code_is_always_offered() {
        let none = LoginFactors::for_account(false, false);
        assert_eq!(
            none,
            LoginFactors {
                asked: Factor::EmailCode,
                others: vec![]
            }
        );
        let app = LoginFactors::for_account(true, false);
        assert_eq!(
            app,
            LoginFactors {
                asked: Factor::Totp,
                others: vec![Factor::EmailCode]
            }
        );
        let both = LoginFactors::for_account(true, true);
        assert_eq!(both.asked, Factor::SecurityKey);
        assert_eq!(both.others, vec![Factor::Totp, Factor::EmailCode]);
        assert!(both.allows(Factor::EmailCode));
        assert!(!app.allows(Factor::SecurityKey));
    }

    #[test]
    fn device_names_are_trimmed_and_bounded() {
        assert_eq!(
            check_device_name("  Téléphone de Léa \n"),
            Ok("Téléphone de Léa".into())
        );
        assert_eq!(check_device_name(" \t "), Err(DeviceNameProblem::Missing));
        assert_eq!(
            check_device_name(&"é".repeat(61)),
            Err(DeviceNameProblem::TooLong)
        );
        assert_eq!(
            check_device_name(&"é".repeat(60)).map(|n| n.chars().count()),
            Ok(60)
        );
    }

    #[test]
    fn codes_are_six_digits_spaces_allowed() {
        assert_eq!(normalize_code("123 456").as_deref(), Some("123456"));
        assert_eq!(normalize_code("12345"), None);
        assert_eq!(normalize_code("12345a"), None);
        assert_eq!(normalize_code("١٢٣٤٥٦"), None);
    }

    #[test]
    fn an_authentication_is_recent_for_ten_minutes() {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        assert!(is_recent(Some(now - Duration::minutes(9)), now));
        assert!(!is_recent(Some(now - Duration::minutes(10)), now));
        assert!(!is_recent(None, now));
        assert!(!is_recent(Some(now + Duration::minutes(1)), now));
    }
}
