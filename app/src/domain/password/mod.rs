//! The password policy of rule A4, shared by the browser and the server.
//!
//! A password is accepted when it has at least [`MIN_CHARS`] characters and at
//! most [`MAX_CHARS`], and contains at least one digit, one lower-case letter,
//! one upper-case letter and one special character. Definitions, written down
//! because users and tests rely on them:
//!
//! - a *character* is a Unicode scalar value (`é` counts once, whether typed
//!   precomposed or not is the browser's business);
//! - a *digit* is one of the ASCII digits `0`–`9`;
//! - a *lower-case* / *upper-case letter* is any Unicode letter with that case
//!   (`é` is lower-case, `É` upper-case);
//! - a *special character* is any other visible character: punctuation,
//!   symbols, other numerals (`²`, `٣`). Letters without case (`文`) count as
//!   none of the classes; spaces are allowed but are not special characters.
//!
//! The upper bound keeps the cost of hashing an attacker's input bounded.

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// Most characters a password may have.
pub const MAX_CHARS: usize = 128;

/// One criterion of the policy, in the order the form lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Criterion {
    MinLength,
    MaxLength,
    Digit,
    Lowercase,
    Uppercase,
    Special,
}

impl Criterion {
    /// Every criterion, in display order.
    pub const ALL: [Criterion; 6] = [
        Criterion::MinLength,
        Criterion::Digit,
        Criterion::Lowercase,
        Criterion::Uppercase,
        Criterion::Special,
        Criterion::MaxLength,
    ];
}

/// What a candidate password satisfies: the form shows it live, the server
/// refuses anything that is not [`PasswordReport::is_acceptable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasswordReport {
    pub chars: usize,
    pub has_digit: bool,
    pub has_lowercase: bool,
    pub has_uppercase: bool,
    pub has_special: bool,
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

/// Classifies every character of `password` against the policy.
pub fn check(password: &str) -> PasswordReport {
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
}
