//! *Mon compte* (rule P1, seed 001 §2.2): the account's personal
//! information, each field edited in place and saved with *Enregistrer*,
//! checked by this same code as the user types and on the server.
//!
//! The names are required, as at sign-up; the phone number follows the
//! sign-up rule; the workplace address and the biography are optional
//! free text on several lines, bounded ([`MAX_WORK_ADDRESS_CHARS`],
//! [`MAX_BIOGRAPHY_CHARS`]). The contact address is not one of these fields:
//! it changes through a link sent to the new address
//! ([`super::address_change`]).
//!
//! Deactivating the account (rule P5) needs the password and, for a
//! primary manager, a successor for each of their structures first.

use super::account::{FieldProblem, check_name, check_phone};
use super::text::has_refused_char_multi_line;
use serde::{Deserialize, Serialize};

/// Longest workplace address, in characters.
pub const MAX_WORK_ADDRESS_CHARS: usize = 300;
/// Longest biography, in characters.
pub const MAX_BIOGRAPHY_CHARS: usize = 1000;

/// A field of *Mon compte* saved on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountField {
    LastName,
    FirstName,
    Phone,
    WorkAddress,
    Biography,
}

impl AccountField {
    pub const ALL: [AccountField; 5] = [
        AccountField::LastName,
        AccountField::FirstName,
        AccountField::Phone,
        AccountField::WorkAddress,
        AccountField::Biography,
    ];

    /// Whether the field is typed on several lines.
    pub fn multi_line(self) -> bool {
        matches!(self, AccountField::WorkAddress | AccountField::Biography)
    }
}

/// Why *Désactiver mon compte* is refused (rule P5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeactivationRefusal {
    /// The user is the primary manager of these structures: a successor
    /// must be designated for each first (seed 001 §2.2.4).
    PrimaryManager { structures: Vec<String> },
}

/// Optional text on several lines, at most `max` characters; `None` when
/// empty.
fn check_text(raw: &str, max: usize) -> Result<Option<String>, FieldProblem> {
    let text = raw.trim();
    if text.is_empty() {
        Ok(None)
    } else if text.chars().count() > max {
        Err(FieldProblem::TooLong)
    } else if has_refused_char_multi_line(text) {
        Err(FieldProblem::InvalidCharacters)
    } else {
        // Browsers send a textarea's line breaks as CR LF.
        Ok(Some(text.replace("\r\n", "\n")))
    }
}

/// Checks a field's new value: the value to store (`None` for an optional
/// field left empty) or what is wrong.
pub fn check_account_field(field: AccountField, raw: &str) -> Result<Option<String>, FieldProblem> {
    match field {
        AccountField::LastName | AccountField::FirstName => check_name(raw).map(Some),
        AccountField::Phone => check_phone(raw),
        AccountField::WorkAddress => check_text(raw, MAX_WORK_ADDRESS_CHARS),
        AccountField::Biography => check_text(raw, MAX_BIOGRAPHY_CHARS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_are_required_and_trimmed() {
        assert_eq!(
            check_account_field(AccountField::LastName, "  Curie "),
            Ok(Some("Curie".into()))
        );
        assert_eq!(
            check_account_field(AccountField::FirstName, " "),
            Err(FieldProblem::Required)
        );
    }

    #[test]
    fn optional_fields_may_be_emptied() {
        for field in [
            AccountField::Phone,
            AccountField::WorkAddress,
            AccountField::Biography,
        ] {
            assert_eq!(check_account_field(field, "  "), Ok(None), "{field:?}");
        }
        assert_eq!(
            check_account_field(AccountField::Phone, "abc"),
            Err(FieldProblem::InvalidPhone)
        );
    }

    #[test]
    fn free_text_keeps_its_lines_and_is_bounded() {
        assert_eq!(
            check_account_field(
                AccountField::WorkAddress,
                "12 rue de la Paix\r\n75002 Paris"
            ),
            Ok(Some("12 rue de la Paix\n75002 Paris".into()))
        );
        let long = "é".repeat(MAX_BIOGRAPHY_CHARS + 1);
        assert_eq!(
            check_account_field(AccountField::Biography, &long),
            Err(FieldProblem::TooLong)
        );
        assert_eq!(
            check_account_field(AccountField::Biography, &"é".repeat(MAX_BIOGRAPHY_CHARS)),
            Ok(Some("é".repeat(MAX_BIOGRAPHY_CHARS)))
        );
        assert_eq!(
            check_account_field(AccountField::Biography, "a\u{0}b"),
            Err(FieldProblem::InvalidCharacters)
        );
    }
}
