//! The password policy of rule A4, and what the portal adds to it, shared by
//! the browser (the live checklist) and the server (which decides).
//!
//! A password is accepted when, once normalised to Unicode NFC, it has at
//! least [`MIN_CHARS`] characters and at most [`MAX_CHARS`], contains at least
//! one digit, one lower-case letter, one upper-case letter and one special
//! character, is not one of the common passwords of [`common`], and contains
//! neither the user's names nor the local part of their login address
//! ([`personal`]). Definitions, written down because users and tests rely on
//! them:
//!
//! - a *character* is a Unicode scalar value of the NFC form: `é` counts once
//!   whether the keyboard sent it precomposed or as `e` + accent (NFD, as
//!   macOS often does);
//! - a *digit* is one of the ASCII digits `0`–`9`;
//! - a *lower-case* / *upper-case letter* is any Unicode letter with that case
//!   (`é` is lower-case, `É` upper-case);
//! - a *special character* is any other visible character: punctuation,
//!   symbols, other numerals (`²`, `٣`). Letters without case (`文`) count as
//!   none of the classes; spaces are allowed but are not special characters.
//!
//! The server hashes and verifies only a [`Password`], which exists only
//! normalised and within [`MAX_CHARS`]: the same typed password gives the
//! same bytes whatever the keyboard, and an attacker's megabyte of input is
//! refused before it costs an argon2 run.

pub mod common;
mod nfc;
pub mod personal;

pub use personal::PersonalData;
use std::fmt;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// Most characters a password may have.
pub const MAX_CHARS: usize = 128;
/// Input longer than this many bytes cannot be acceptable, so it is refused
/// without being normalised: a character is at most 4 bytes and NFC at most
/// composes 4 characters into one (the longest canonical decomposition,
/// UAX #15), so more bytes than this make more than [`MAX_CHARS`] characters.
const MAX_INPUT_BYTES: usize = MAX_CHARS * 16;

/// One criterion of the policy, in the order the form lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Criterion {
    MinLength,
    MaxLength,
    Digit,
    Lowercase,
    Uppercase,
    Special,
    /// Not one of the common passwords ([`common`]).
    NotCommon,
    /// Contains neither the user's names nor their login's local part.
    NotPersonal,
}

impl Criterion {
    /// Every criterion, in display order.
    pub const ALL: [Criterion; 8] = [
        Criterion::MinLength,
        Criterion::Digit,
        Criterion::Lowercase,
        Criterion::Uppercase,
        Criterion::Special,
        Criterion::NotCommon,
        Criterion::NotPersonal,
        Criterion::MaxLength,
    ];
}

/// What a candidate password satisfies: the form shows it live, the server
/// refuses anything that is not [`PasswordReport::is_acceptable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasswordReport {
    /// Characters of the NFC form.
    pub chars: usize,
    pub has_digit: bool,
    pub has_lowercase: bool,
    pub has_uppercase: bool,
    pub has_special: bool,
    /// One of the common passwords, give or take case and leet-speak;
    /// `None` while the browser has not loaded the list (never on the
    /// server), which [`PasswordReport::meets`] counts as not met.
    pub is_common: Option<bool>,
    /// Contains a name of the user or their login's local part.
    pub is_personal: bool,
}

impl PasswordReport {
    /// Whether one criterion is met.
    pub fn meets(&self, criterion: Criterion) -> bool {
        match criterion {
            Criterion::MinLength => self.chars >= MIN_CHARS,
            Criterion::MaxLength => self.chars <= MAX_CHARS,
            Criterion::Digit => self.has_digit,
            Criterion::Lowercase => self.has_lowercase,
            Criterion::Uppercase => self.has_uppercase,
            Criterion::Special => self.has_special,
            Criterion::NotCommon => self.is_common == Some(false),
            Criterion::NotPersonal => !self.is_personal,
        }
    }

    /// The criteria not met, in display order.
    pub fn unmet(&self) -> Vec<Criterion> {
        Criterion::ALL
            .into_iter()
            .filter(|c| !self.meets(*c))
            .collect()
    }

    /// Whether the password meets the whole policy.
    pub fn is_acceptable(&self) -> bool {
        Criterion::ALL.into_iter().all(|c| self.meets(c))
    }
}

/// Checks `typed` against the whole policy, for the user described by
/// `personal` (empty fields are not checked).
pub fn check(typed: &str, personal: &PersonalData) -> PasswordReport {
    // Too long, the lists are not searched: no listed password is that long.
    let too_long = |report: PasswordReport| PasswordReport {
        is_common: Some(false),
        ..report
    };
    let Some(normalised) = bounded_nfc(typed) else {
        return too_long(classify(typed));
    };
    let mut report = classify(&normalised);
    if report.chars > MAX_CHARS {
        return too_long(report);
    }
    report.is_common = common::is_common(&normalised);
    report.is_personal = personal.is_in(&normalised);
    report
}

/// A new password (activation, reset, change): the whole policy, then the
/// password to hash; otherwise the criteria it misses.
pub fn accept(typed: &str, personal: &PersonalData) -> Result<Password, Vec<Criterion>> {
    let report = check(typed, personal);
    if !report.is_acceptable() {
        return Err(report.unmet());
    }
    Password::typed(typed).map_err(|TooLong| vec![Criterion::MaxLength])
}

/// A password as the server hashes and verifies it: NFC, at most
/// [`MAX_CHARS`] characters. Made by [`Password::typed`] (login, current
/// password) or [`accept`] (a new one). Prints no secret, not `Serialize`.
pub struct Password(String);

/// The input is longer than any password can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a password has at most {MAX_CHARS} characters")]
pub struct TooLong;

/// Told as the maximum-length criterion, so the user reads which rule.
impl From<TooLong> for crate::domain::refusal::Refusal {
    fn from(TooLong: TooLong) -> Self {
        crate::domain::refusal::Refusal::WeakPassword(vec![Criterion::MaxLength])
    }
}

impl Password {
    /// A password typed to be verified, normalised; longer than [`MAX_CHARS`]
    /// it is refused, as no account can have it.
    pub fn typed(typed: &str) -> Result<Password, TooLong> {
        let normalised = bounded_nfc(typed).ok_or(TooLong)?;
        if normalised.chars().count() > MAX_CHARS {
            return Err(TooLong);
        }
        Ok(Password(normalised))
    }

    /// The normalised password, for the hash function only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// The NFC form of `typed`, unless it is too long to be worth normalising.
fn bounded_nfc(typed: &str) -> Option<String> {
    (typed.len() <= MAX_INPUT_BYTES).then(|| nfc::nfc(typed))
}

/// Classifies every character of `password` against rule A4.
fn classify(password: &str) -> PasswordReport {
    let mut report = PasswordReport::default();
    for c in password.chars() {
        report.chars += 1;
        if c.is_ascii_digit() {
            report.has_digit = true;
        } else if c.is_lowercase() {
            report.has_lowercase = true;
        } else if c.is_uppercase() {
            report.has_uppercase = true;
        } else if is_special(c) {
            report.has_special = true;
        }
    }
    report
}

/// A visible character that is neither an ASCII digit nor a letter.
fn is_special(c: char) -> bool {
    !c.is_alphabetic() && !c.is_whitespace() && !c.is_control() && !c.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const GOOD: &str = "Abcdefgh1!xy";

    /// The policy for someone whose names are not known.
    fn check(password: &str) -> PasswordReport {
        common::tests::load();
        super::check(password, &PersonalData::default())
    }

    #[test]
    fn a_password_meeting_every_criterion_is_accepted() {
        let report = check(GOOD);
        assert_eq!(report.chars, 12);
        assert!(report.is_acceptable());
        assert!(report.unmet().is_empty());
    }

    #[test]
    fn eleven_characters_are_too_few_and_twelve_are_enough() {
        let eleven = "Abcdefg1!xy";
        assert_eq!(check(eleven).chars, 11);
        assert_eq!(check(eleven).unmet(), vec![Criterion::MinLength]);
        assert!(check("Abcdefg1!xyz").is_acceptable());
    }

    #[test]
    fn the_maximum_length_is_inclusive() {
        let at_max = format!("Aa1!{}", "x".repeat(MAX_CHARS - 4));
        assert!(check(&at_max).is_acceptable());
        let over = format!("{at_max}x");
        assert_eq!(check(&over).unmet(), vec![Criterion::MaxLength]);
    }

    #[test]
    fn each_missing_class_is_reported_alone() {
        assert_eq!(check("Abcdefghij!x").unmet(), vec![Criterion::Digit]);
        assert_eq!(check("ABCDEFGH1!XY").unmet(), vec![Criterion::Lowercase]);
        assert_eq!(check("abcdefgh1!xy").unmet(), vec![Criterion::Uppercase]);
        assert_eq!(check("Abcdefgh12xy").unmet(), vec![Criterion::Special]);
    }

    #[test]
    fn an_empty_password_misses_everything_but_the_maximum() {
        let unmet = check("").unmet();
        assert_eq!(
            unmet,
            vec![
                Criterion::MinLength,
                Criterion::Digit,
                Criterion::Lowercase,
                Criterion::Uppercase,
                Criterion::Special
            ]
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 12 characters, 16 bytes in UTF-8.
        let accented = "Éléphant1!éà";
        assert_eq!(accented.len(), 16);
        assert_eq!(check(accented).chars, 12);
        assert!(check(accented).is_acceptable());
        // 11 characters but more than 12 bytes: still too short.
        assert_eq!(check("Éléphant1!é").unmet(), vec![Criterion::MinLength]);
    }

    #[test]
    fn non_ascii_letters_count_as_letters_of_their_case() {
        let report = check("ÉÀÇ");
        assert!(report.has_uppercase && !report.has_lowercase && !report.has_special);
        let report = check("éàçß");
        assert!(report.has_lowercase && !report.has_uppercase && !report.has_special);
        // Letters without case belong to no class.
        let report = check("文字");
        assert!(!report.has_lowercase && !report.has_uppercase && !report.has_special);
    }

    #[test]
    fn special_characters_are_visible_non_letters_non_digits() {
        for c in ['!', '?', '@', '#', '€', '_', '-', '²', '٣', '😀', '«', '.'] {
            assert!(check(&c.to_string()).has_special, "{c:?} should be special");
        }
        for c in [' ', '\t', '\u{a0}', '\n', 'a', 'Z', '5'] {
            assert!(
                !check(&c.to_string()).has_special,
                "{c:?} should not be special"
            );
        }
    }

    #[test]
    fn only_ascii_digits_are_digits() {
        assert!(check("7").has_digit);
        assert!(!check("٣").has_digit);
        assert!(!check("²").has_digit);
    }

    #[test]
    fn spaces_are_allowed_but_are_not_special() {
        assert!(check("Abc defgh1!x").is_acceptable());
        assert_eq!(check("Abc defgh1 x").unmet(), vec![Criterion::Special]);
    }

    #[test]
    fn a_password_typed_decomposed_is_the_one_typed_precomposed() {
        let composed = "Éléphant1!éà";
        let decomposed = "E\u{301}le\u{301}phant1!e\u{301}a\u{300}";
        assert_ne!(composed, decomposed);
        assert_eq!(check(decomposed).chars, 12);
        assert!(check(decomposed).is_acceptable());
        let (a, b) = (
            Password::typed(composed).unwrap(),
            Password::typed(decomposed).unwrap(),
        );
        assert_eq!(a.expose(), b.expose());
        assert_eq!(a.expose(), composed);
        let accepted = accept(decomposed, &PersonalData::default()).unwrap();
        assert_eq!(accepted.expose(), composed);
    }

    #[test]
    fn a_common_password_that_meets_a4_is_refused_in_any_case_or_leet_speak() {
        for common in ["!QAZ2wsx#EDC", "!qaz2WSX#edc", "P@ssword1234"] {
            assert_eq!(
                check(common).unmet(),
                vec![Criterion::NotCommon],
                "{common}"
            );
            assert_eq!(
                accept(common, &PersonalData::default()).unwrap_err(),
                vec![Criterion::NotCommon]
            );
        }
        assert!(check(GOOD).meets(Criterion::NotCommon));
    }

    #[test]
    fn a_password_containing_the_users_names_or_address_is_refused() {
        let me = PersonalData::new("Marie", "Curie", "msklodowska@example.fr");
        for personal in [
            "Curie-2026!x",
            "xMARIE-2026!",
            "Msklodowska-26!",
            "Cur1e-2O26!x",
        ] {
            assert_eq!(
                super::check(personal, &me).unmet(),
                vec![Criterion::NotPersonal],
                "{personal}"
            );
            assert_eq!(
                accept(personal, &me).unwrap_err(),
                vec![Criterion::NotPersonal]
            );
        }
        assert!(super::check(GOOD, &me).is_acceptable());
        // Unknown names: only the server, which knows them, can refuse.
        assert!(check("Curie-2026!x").is_acceptable());
    }

    #[test]
    fn nothing_longer_than_the_maximum_becomes_a_password() {
        let at_max = format!("Aa1!{}", "x".repeat(MAX_CHARS - 4));
        assert!(Password::typed(&at_max).is_ok());
        assert!(accept(&at_max, &PersonalData::default()).is_ok());
        let over = format!("{at_max}x");
        assert_eq!(Password::typed(&over).unwrap_err(), TooLong);
        assert_eq!(
            accept(&over, &PersonalData::default()).unwrap_err(),
            vec![Criterion::MaxLength]
        );
        // A megabyte is refused without being normalised or searched.
        let huge = format!("Aa1!{}", "x".repeat(1 << 20));
        assert_eq!(Password::typed(&huge).unwrap_err(), TooLong);
        assert_eq!(check(&huge).unmet(), vec![Criterion::MaxLength]);
        // The maximum counts characters of the NFC form: 128 accented
        // letters typed decomposed are 256 code points, and fit.
        let decomposed = format!("A1!{}", "e\u{301}".repeat(MAX_CHARS - 3));
        assert_eq!(decomposed.chars().count(), 2 * MAX_CHARS - 3);
        assert!(Password::typed(&decomposed).is_ok());
        assert_eq!(check(&decomposed).chars, MAX_CHARS);
    }

    #[test]
    fn the_byte_bound_never_refuses_what_could_fit() {
        // The longest inputs that fit: characters of 4 bytes each, and
        // characters typed as their longest canonical decomposition (U+1F82,
        // 4 code points).
        let widest = "\u{1D400}".repeat(MAX_CHARS);
        assert_eq!(widest.len(), 4 * MAX_CHARS);
        assert!(Password::typed(&widest).is_ok());
        let longest_nfd = "\u{3B1}\u{313}\u{300}\u{345}".repeat(MAX_CHARS);
        assert_eq!(nfc::nfc(&longest_nfd).chars().count(), MAX_CHARS);
        assert!(longest_nfd.len() <= MAX_INPUT_BYTES);
        assert!(Password::typed(&longest_nfd).is_ok());
    }

    #[test]
    fn a_password_prints_no_secret() {
        let password = Password::typed(GOOD).unwrap();
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
    }
}
