//! The *Créer un compte* form (rule A1), validated by the same code in the
//! browser (as the user types) and on the server (before anything is saved).

use super::text::has_refused_char;
use email_address::EmailAddress;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a one-time link (activation, reset) does not work (rule A5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkFailure {
    /// Never issued (or mistyped).
    Unknown,
    Expired,
    AlreadyUsed,
}

/// A field of the sign-up form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignupField {
    LoginEmail,
    LoginEmailConfirmation,
    LastName,
    FirstName,
    Phone,
    ContactEmail,
}

/// What is wrong with a field; the form shows it translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldProblem {
    Required,
    InvalidEmail,
    Mismatch,
    TooLong,
    /// Shorter than its minimum (a support ticket's description).
    TooShort,
    InvalidPhone,
    /// A control character (see [`super::text`]).
    InvalidCharacters,
    /// Not a date (`YYYY-MM-DD`, as date fields send it).
    InvalidDate,
    /// A period's end before its start.
    DateOrder,
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupInput {
    pub login_email: String,
    pub login_email_confirmation: String,
    pub last_name: String,
    pub first_name: String,
    pub phone: String,
    pub contact_email: String,
}

/// The form once valid: trimmed, e-mail addresses lower-cased, the contact
/// address defaulting to the login address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidSignup {
    pub login_email: String,
    pub last_name: String,
    pub first_name: String,
    pub phone: Option<String>,
    pub contact_email: String,
}

/// Normalises an e-mail address the way accounts are looked up.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks an e-mail address.
pub fn check_email(raw: &str) -> Result<String, FieldProblem> {
    let email = normalize_email(raw);
    if email.is_empty() {
        return Err(FieldProblem::Required);
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(FieldProblem::TooLong);
    }
    if has_refused_char(&email) {
        return Err(FieldProblem::InvalidCharacters);
    }
    // A domain with a dot: addresses on bare hosts cannot receive our mail.
    let has_dotted_domain = email.rsplit_once('@').is_some_and(|(_, domain)| {
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    });
    if EmailAddress::from_str(&email).is_err() || !has_dotted_domain {
        return Err(FieldProblem::InvalidEmail);
    }
    Ok(email)
}

pub fn check_name(raw: &str) -> Result<String, FieldProblem> {
    let name = raw.trim();
    if name.is_empty() {
        Err(FieldProblem::Required)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(FieldProblem::TooLong)
    } else if has_refused_char(name) {
        Err(FieldProblem::InvalidCharacters)
    } else {
        Ok(name.to_owned())
    }
}

/// A phone number: optional; digits with spaces, dots, dashes, brackets and a
/// leading `+`, 6 to 20 digits.
pub fn check_phone(raw: &str) -> Result<Option<String>, FieldProblem> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let allowed = phone
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if allowed && (6..=20).contains(&digits) {
        Ok(Some(phone.to_owned()))
    } else {
        Err(FieldProblem::InvalidPhone)
    }
}

/// Validates one field in the context of the whole form (the confirmation
/// depends on the address); the form calls it as the user types.
pub fn check_field(input: &SignupInput, field: SignupField) -> Result<(), FieldProblem> {
    match field {
        SignupField::LoginEmail => check_email(&input.login_email).map(drop),
        SignupField::LoginEmailConfirmation => {
            if input.login_email_confirmation.trim().is_empty() {
                Err(FieldProblem::Required)
            } else if normalize_email(&input.login_email_confirmation)
                != normalize_email(&input.login_email)
            {
                Err(FieldProblem::Mismatch)
            } else {
                Ok(())
            }
        }
        SignupField::LastName => check_name(&input.last_name).map(drop),
        SignupField::FirstName => check_name(&input.first_name).map(drop),
        SignupField::Phone => check_phone(&input.phone).map(drop),
        SignupField::ContactEmail if input.contact_email.trim().is_empty() => Ok(()),
        SignupField::ContactEmail => check_email(&input.contact_email).map(drop),
    }
}

/// Validates the whole form: either the clean values or every problem.
pub fn validate_signup(
    input: &SignupInput,
) -> Result<ValidSignup, Vec<(SignupField, FieldProblem)>> {
    use SignupField::*;
    let problems: Vec<_> = [
        LoginEmail,
        LoginEmailConfirmation,
        LastName,
        FirstName,
        Phone,
        ContactEmail,
    ]
    .into_iter()
    .filter_map(|field| check_field(input, field).err().map(|p| (field, p)))
    .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let login_email = normalize_email(&input.login_email);
    let contact_email = match normalize_email(&input.contact_email) {
        empty if empty.is_empty() => login_email.clone(),
        contact => contact,
    };
    Ok(ValidSignup {
        login_email,
        last_name: input.last_name.trim().to_owned(),
        first_name: input.first_name.trim().to_owned(),
        phone: check_phone(&input.phone).ok().flatten(),
        contact_email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn filled() -> SignupInput {
        SignupInput {
            login_email: " Marie.Curie@Example.fr ".into(),
            login_email_confirmation: "marie.curie@example.fr".into(),
            last_name: "Curie".into(),
            first_name: "Marie".into(),
            phone: "+33 1 23 45 67 89".into(),
            contact_email: String::new(),
        }
    }

    #[test]
    fn a_complete_form_is_normalised_and_the_contact_defaults_to_the_login() {
        let valid = validate_signup(&filled()).unwrap();
        assert_eq!(valid.login_email, "marie.curie@example.fr");
        assert_eq!(valid.contact_email, "marie.curie@example.fr");
        assert_eq!(valid.phone.as_deref(), Some("+33 1 23 45 67 89"));
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let problems = validate_signup(&SignupInput::default()).unwrap_err();
        assert_eq!(
            problems,
            vec![
                (SignupField::LoginEmail, FieldProblem::Required),
                (SignupField::LoginEmailConfirmation, FieldProblem::Required),
                (SignupField::LastName, FieldProblem::Required),
                (SignupField::FirstName, FieldProblem::Required),
            ]
        );
    }

    #[test]
    fn the_confirmation_must_match_ignoring_case_and_spaces() {
        let mut input = filled();
        input.login_email_confirmation = "marie.curie@example.com".into();
        assert_eq!(
            check_field(&input, SignupField::LoginEmailConfirmation),
            Err(FieldProblem::Mismatch)
        );
        input.login_email_confirmation = " MARIE.CURIE@example.fr".into();
        assert_eq!(
            check_field(&input, SignupField::LoginEmailConfirmation),
            Ok(())
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "marie",
            "marie@",
            "@example.fr",
            "marie@localhost",
            "ma rie@example.fr",
            "marie@example.",
        ] {
            assert_eq!(check_email(bad), Err(FieldProblem::InvalidEmail), "{bad}");
        }
        let long = format!("{}@example.fr", "a".repeat(250));
        assert_eq!(check_email(&long), Err(FieldProblem::TooLong));
        assert_eq!(
            check_email("élodie@exemple.fr"),
            Ok("élodie@exemple.fr".into())
        );
    }

    #[test]
    fn phones_are_optional_but_must_look_like_numbers() {
        let mut input = filled();
        for good in ["", "0123456789", "+33 (0)1 23.45-67-89"] {
            input.phone = good.into();
            assert_eq!(check_field(&input, SignupField::Phone), Ok(()), "{good}");
        }
        for bad in [
            "12345",
            "+33 1 23 45 67 89 00 11 22 33 44",
            "01 23 45 67 8a",
            "33+123456",
        ] {
            input.phone = bad.into();
            assert_eq!(
                check_field(&input, SignupField::Phone),
                Err(FieldProblem::InvalidPhone),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        let mut input = filled();
        input.last_name = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            check_field(&input, SignupField::LastName),
            Err(FieldProblem::TooLong)
        );
        input.last_name = "   ".into();
        assert_eq!(
            check_field(&input, SignupField::LastName),
            Err(FieldProblem::Required)
        );
    }

    #[test]
    fn control_characters_are_refused_and_any_script_kept() {
        for bad in ["Cu\0rie", "Cu\u{1}rie", "Cu\nrie", "Cu\trie", "\u{7f}"] {
            assert_eq!(
                check_name(bad),
                Err(FieldProblem::InvalidCharacters),
                "{bad:?}"
            );
        }
        for bad in [
            "marie\0@example.fr",
            "marie@exa\u{1}mple.fr",
            "\"a\u{7}b\"@example.fr",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_email("marie\0@example.fr"),
            Err(FieldProblem::InvalidCharacters)
        );
        for good in [
            "Ðорис",
            "Nguyễn",
            "e\u{301}\u{301}",
            "李",
            "\u{202E}Curie",
            "🙂 Marie",
        ] {
            assert_eq!(check_name(good), Ok(good.into()), "{good:?}");
        }
    }
}
