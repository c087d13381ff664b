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
    /// Recovery codes (or refusing the e-mailed code) need an app or a key
    /// first, and refusing the e-mailed code needs recovery codes too.
    StrongFactorRequired,
    /// This account no longer accepts the e-mailed code.
    EmailCodeRefused,
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
    /// One of the account's single-use recovery codes.
    RecoveryCode,
}

/// What an account has registered, for the login's second step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFactors {
    pub totp: bool,
    pub key: bool,
    /// Unused recovery codes are left.
    pub recovery_codes: bool,
    /// The user chose to stop accepting the e-mailed code.
    pub email_code_refused: bool,
}

impl AccountFactors {
    /// Whether the account has a factor stronger than its mailbox.
    pub fn has_strong_factor(&self) -> bool {
        self.totp || self.key
    }

    /// Whether the e-mailed code is accepted: always, unless the user
    /// refused it while they have an app or a key (without one, the
    /// e-mailed code is the only second factor left, so it comes back).
    pub fn accepts_email_code(&self) -> bool {
        !(self.email_code_refused && self.has_strong_factor())
    }

    /// Whether the user may stop accepting the e-mailed code: they need an
    /// app or a key, and recovery codes for the day they lose it.
    pub fn may_refuse_email_code(&self) -> bool {
        self.has_strong_factor() && self.recovery_codes
    }
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

    /// The factors of an account: [`LoginFactors::for_account`], plus its
    /// recovery codes, and without the e-mailed code when it is refused.
    pub fn for_factors(factors: &AccountFactors) -> LoginFactors {
        let mut offered = LoginFactors::for_account(factors.totp, factors.key);
        if factors.recovery_codes && factors.has_strong_factor() {
            let at = offered.others.len().saturating_sub(1);
            offered.others.insert(at, Factor::RecoveryCode);
        }
        if !factors.accepts_email_code() {
            offered.others.retain(|f| *f != Factor::EmailCode);
        }
        offered
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

/// How many recovery codes an account gets at once.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// The letters of a recovery code: Crockford's base 32 (no I, L, O, U), so
/// that nothing read from paper is ambiguous.
pub const RECOVERY_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Letters in a recovery code (50 bits), shown as two groups of five.
pub const RECOVERY_CODE_LENGTH: usize = 10;

/// A recovery code as typed (any case, spaces and hyphens allowed, the
/// look-alikes I, L and O read as 1, 1 and 0), or `None` when it cannot be
/// one.
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            other => other,
        })
        .collect();
    let valid =
        code.len() == RECOVERY_CODE_LENGTH && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
    valid.then_some(code)
}

/// A recovery code as shown: `ABCDE-FGHJK`.
pub fn format_recovery_code(code: &str) -> String {
    let (first, second) = code.split_at(code.len().min(RECOVERY_CODE_LENGTH / 2));
    format!("{first}-{second}")
}

/// Minutes after a full login (or re-authentication) during which factors
/// and sessions may be changed without logging in again.
pub const RECENT_AUTHENTICATION_MINUTES: i64 = 10;

/// Whether an authentication at `at` is recent at `now`.
pub fn is_recent(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    at.is_some_and(|at| at <= now && now - at < Duration::minutes(RECENT_AUTHENTICATION_MINUTES))
}

#[cfg(test)]
mod recovery_tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn recovery_codes_are_read_as_typed_on_paper() {
        assert_eq!(
            normalize_recovery_code("abcde-fghjk").as_deref(),
            Some("ABCDEFGHJK")
        );
        assert_eq!(
            normalize_recovery_code(" 0O1IL 23456 ").as_deref(),
            Some("0011123456")
        );
        assert_eq!(normalize_recovery_code("ABCDE-FGHJ"), None);
        assert_eq!(normalize_recovery_code("ABCDE-FGHJU"), None);
        assert_eq!(normalize_recovery_code("ÀBCDE-FGHJK"), None);
        assert_eq!(format_recovery_code("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn refusing_the_e_mailed_code_needs_a_strong_factor_and_recovery_codes() {
        let app_only = AccountFactors {
            totp: true,
            ..Default::default()
        };
        assert!(!app_only.may_refuse_email_code());
        let ready = AccountFactors {
            totp: true,
            recovery_codes: true,
            ..Default::default()
        };
        assert!(ready.may_refuse_email_code());
        let strict = AccountFactors {
            email_code_refused: true,
            ..ready
        };
        let offered = LoginFactors::for_factors(&strict);
        assert_eq!(
            offered,
            LoginFactors {
                asked: Factor::Totp,
                others: vec![Factor::RecoveryCode]
            }
        );
        // Without an app or a key the e-mailed code comes back.
        let none = AccountFactors {
            email_code_refused: true,
            recovery_codes: true,
            ..Default::default()
        };
        assert_eq!(
            LoginFactors::for_factors(&none),
            LoginFactors {
                asked: Factor::EmailCode,
                others: vec![]
            }
        );
        let usual = LoginFactors::for_factors(&ready);
        assert_eq!(usual.others, vec![Factor::RecoveryCode, Factor::EmailCode]);
    }
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
