//! Changing one of the account's addresses through a link sent to the new
//! one: the login address (*Changer mon adresse de connexion*, rule P6, seed
//! 001 §2.6) and the contact address (*Mon compte*, rule P1), where the
//! notifications go (rule P3). The form's checks, shared by the pages and
//! the server, and the refusals.
//!
//! The seed's rules: the new address is typed twice; a link goes to it and
//! is valid 24 hours; "il n'est pas possible de faire plusieurs demandes de
//! changement d'adresse de connexion simultanément": while a request waits
//! for its link, a second one is refused with the first one's address and
//! end (it cannot be cancelled: it is used or it lapses). Decisions of
//! ours: the address must differ from the current one; an address another
//! account uses is refused without saying whose ("unavailable"), at the
//! request and again at the confirmation (it may have been taken between);
//! a user may ask [`REQUESTS_PER_DAY`] times a day, which bounds what the
//! "unavailable" answer tells about other accounts (and the mail sent to
//! addresses the portal does not know).
//!
//! The contact address follows the same path (the issue: "until confirmed,
//! notifications go to the old one"), with two differences: it need not be
//! unique (colleagues may share a service mailbox), and a new request
//! replaces a waiting one (the seed's one-at-a-time rule is about the login
//! address, and a mistyped contact address should not block its owner for a
//! day).

use super::account::{FieldProblem, SignupField, check_email, normalize_email};
use serde::{Deserialize, Serialize};

/// Which of the account's addresses changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AddressKind {
    /// The login address (rule P6).
    Login,
    /// The contact address (rules P1, P3).
    Contact,
}

/// Requests one account may make in 24 hours, both kinds together.
pub const REQUESTS_PER_DAY: u32 = 5;

/// Why a change of login address is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressChangeRefusal {
    /// A request already waits for its link: to this address, until then
    /// (RFC 3339: on the wire as text, as `AppError::Locked` does, so the
    /// browser's main module, which reads every error, need not carry
    /// chrono's date parser: 15 KB).
    Pending {
        new_address: String,
        expires_at: String,
    },
    /// The new address is the current one.
    SameAddress,
    /// Another account uses this address.
    Unavailable,
    /// [`REQUESTS_PER_DAY`] requests were made in the last 24 hours.
    TooManyRequests,
}

/// The form's fields, as they are named in its errors: the new address is
/// a login address and its confirmation, as at sign-up.
pub const NEW_ADDRESS: SignupField = SignupField::LoginEmail;
pub const CONFIRMATION: SignupField = SignupField::LoginEmailConfirmation;

/// Checks one field of the form (the page calls it as the user types).
pub fn check_address_field(
    new_address: &str,
    confirmation: &str,
    field: SignupField,
) -> Result<(), FieldProblem> {
    if field == CONFIRMATION {
        if confirmation.trim().is_empty() {
            Err(FieldProblem::Required)
        } else if normalize_email(confirmation) != normalize_email(new_address) {
            Err(FieldProblem::Mismatch)
        } else {
            Ok(())
        }
    } else {
        check_email(new_address).map(drop)
    }
}

/// Checks the form: the new address, normalised, or every field's problem;
/// then that it is not the current one (of its kind).
pub fn check_new_address(
    current: &str,
    new_address: &str,
    confirmation: &str,
) -> Result<String, AddressFormError> {
    let problems: Vec<_> = [NEW_ADDRESS, CONFIRMATION]
        .into_iter()
        .filter_map(|field| {
            check_address_field(new_address, confirmation, field)
                .err()
                .map(|problem| (field, problem))
        })
        .collect();
    if !problems.is_empty() {
        return Err(AddressFormError::Fields(problems));
    }
    let new_address = normalize_email(new_address);
    if new_address == normalize_email(current) {
        return Err(AddressFormError::Refused(AddressChangeRefusal::SameAddress));
    }
    Ok(new_address)
}

/// What [`check_new_address`] refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressFormError {
    Fields(Vec<(SignupField, FieldProblem)>),
    Refused(AddressChangeRefusal),
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_new_address_is_normalised_and_must_be_confirmed() {
        assert_eq!(
            check_new_address(
                "a@example.fr",
                " Nouvelle@Example.FR ",
                "nouvelle@example.fr"
            ),
            Ok("nouvelle@example.fr".to_owned())
        );
        assert_eq!(
            check_new_address("a@example.fr", "nouvelle@example.fr", "autre@example.fr"),
            Err(AddressFormError::Fields(vec![(
                CONFIRMATION,
                FieldProblem::Mismatch
            )]))
        );
        assert_eq!(
            check_new_address("a@example.fr", "", ""),
            Err(AddressFormError::Fields(vec![
                (NEW_ADDRESS, FieldProblem::Required),
                (CONFIRMATION, FieldProblem::Required)
            ]))
        );
        assert_eq!(
            check_new_address("a@example.fr", "pas-une-adresse", "pas-une-adresse"),
            Err(AddressFormError::Fields(vec![(
                NEW_ADDRESS,
                FieldProblem::InvalidEmail
            )]))
        );
    }

    #[test]
    fn the_current_address_is_not_a_change() {
        assert_eq!(
            check_new_address("marie@example.fr", "Marie@Example.fr", "marie@example.fr"),
            Err(AddressFormError::Refused(AddressChangeRefusal::SameAddress))
        );
    }

    #[test]
    fn each_field_is_checked_as_typed() {
        assert_eq!(
            check_address_field("x@example.fr", "", CONFIRMATION),
            Err(FieldProblem::Required)
        );
        assert_eq!(
            check_address_field("x@example.fr", "X@example.fr", CONFIRMATION),
            Ok(())
        );
        assert_eq!(
            check_address_field("x@", "", NEW_ADDRESS),
            Err(FieldProblem::InvalidEmail)
        );
    }
}
