//! Structure identifiers (rule S1): each identifier type has its own rule,
//! checked here for the form (as the user types) and for the server.
//!
//! SIRET: 14 digits whose Luhn sum is a multiple of 10, except La Poste's
//! establishments (SIREN 356 000 000), whose SIRETs have a digit sum that is a
//! multiple of 5 instead (INSEE's documented exception).

use serde::{Deserialize, Serialize};

/// The identifier types of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdentifierType {
    Siret,
    /// An intra-community VAT number of another EU country.
    EuOutsideFrance,
    OutsideEu,
    /// New Caledonia's company register.
    Ridet,
    /// French Polynesia's company register.
    Tahiti,
    /// A private person.
    Individual,
    Other,
}

impl IdentifierType {
    pub const ALL: [IdentifierType; 7] = [
        IdentifierType::Siret,
        IdentifierType::EuOutsideFrance,
        IdentifierType::OutsideEu,
        IdentifierType::Ridet,
        IdentifierType::Tahiti,
        IdentifierType::Individual,
        IdentifierType::Other,
    ];

    /// The stable code stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            IdentifierType::Siret => "siret",
            IdentifierType::EuOutsideFrance => "ue_hors_france",
            IdentifierType::OutsideEu => "hors_ue",
            IdentifierType::Ridet => "ridet",
            IdentifierType::Tahiti => "tahiti",
            IdentifierType::Individual => "particulier",
            IdentifierType::Other => "autre",
        }
    }

    pub fn from_code(code: &str) -> Option<IdentifierType> {
        IdentifierType::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Why an identifier is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentifierProblem {
    Missing,
    /// Not the shape of this type (length, characters).
    Format,
    /// A SIRET whose check digit is wrong.
    Checksum,
}

/// The SIREN of La Poste, whose SIRETs follow their own check rule.
pub const LA_POSTE_SIREN: &str = "356000000";

fn digits(value: &str) -> Option<Vec<u32>> {
    value.chars().map(|c| c.to_digit(10)).collect()
}

/// The Luhn check: every second digit from the right doubled.
pub fn luhn(number: &str) -> bool {
    let Some(digits) = digits(number) else {
        return false;
    };
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Checks a SIRET (spaces allowed as typed: `356 000 000 00048`).
pub fn check_siret(typed: &str) -> Result<String, IdentifierProblem> {
    let siret: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if siret.is_empty() {
        return Err(IdentifierProblem::Missing);
    }
    let Some(digits) = digits(&siret).filter(|d| d.len() == 14) else {
        return Err(IdentifierProblem::Format);
    };
    let la_poste =
        siret.starts_with(LA_POSTE_SIREN) && digits.iter().sum::<u32>().is_multiple_of(5);
    if luhn(&siret) || la_poste {
        Ok(siret)
    } else {
        Err(IdentifierProblem::Checksum)
    }
}

/// Checks an identifier of `kind`; returns it normalised (trimmed, spaces
/// removed where the type has none, upper-cased where letters are codes).
pub fn check_identifier(kind: IdentifierType, typed: &str) -> Result<String, IdentifierProblem> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(IdentifierProblem::Missing);
    }
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    match kind {
        IdentifierType::Siret => check_siret(typed),
        IdentifierType::EuOutsideFrance => {
            // Two-letter country code (not France) and 2 to 13 characters,
            // split by characters: the input may hold any Unicode.
            let upper = compact.to_ascii_uppercase();
            let mut chars = upper.chars();
            let country: String = chars.by_ref().take(2).collect();
            let rest = chars.as_str();
            let ok = country.chars().count() == 2
                && country.chars().all(|c| c.is_ascii_uppercase())
                && country != "FR"
                && (2..=13).contains(&rest.chars().count())
                && alnum(rest);
            if ok {
                Ok(upper)
            } else {
                Err(IdentifierProblem::Format)
            }
        }
        IdentifierType::Ridet => {
            // 6 or 7 digits of the company, then 3 of the establishment.
            let ok =
                (9..=10).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_digit());
            if ok {
                Ok(compact)
            } else {
                Err(IdentifierProblem::Format)
            }
        }
        IdentifierType::Tahiti => {
            // A letter or digit and 5 digits, then 3 digits of the establishment.
            let upper = compact.to_ascii_uppercase();
            let ok = upper.len() == 9
                && upper
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                && upper.chars().skip(1).all(|c| c.is_ascii_digit());
            if ok {
                Ok(upper)
            } else {
                Err(IdentifierProblem::Format)
            }
        }
        IdentifierType::OutsideEu | IdentifierType::Individual | IdentifierType::Other => {
            let trimmed = typed.trim();
            let ok = trimmed.chars().count() <= 80 && !trimmed.chars().any(char::is_control);
            if ok {
                Ok(trimmed.to_owned())
            } else {
                Err(IdentifierProblem::Format)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sirets_pass_the_luhn_check() {
        // INSEE's own SIRET (Direction générale) and a typed one with spaces.
        assert_eq!(
            check_siret("120 027 016 00019"),
            Ok("12002701600019".into())
        );
        assert_eq!(
            check_siret("12002701600018"),
            Err(IdentifierProblem::Checksum)
        );
        assert_eq!(check_siret("1200270160001"), Err(IdentifierProblem::Format));
        assert_eq!(
            check_siret("1200270160001A"),
            Err(IdentifierProblem::Format)
        );
        assert_eq!(check_siret("  "), Err(IdentifierProblem::Missing));
    }

    #[test]
    fn la_poste_sirets_follow_the_sum_of_digits_rule() {
        // Digit sum 3+5+6+1 = 15, a multiple of 5, but not Luhn-valid.
        assert!(!luhn("35600000010000"));
        assert_eq!(check_siret("35600000010000"), Ok("35600000010000".into()));
        // Digit sum 16: neither rule.
        assert_eq!(
            check_siret("35600000010001"),
            Err(IdentifierProblem::Checksum)
        );
        // The exception is La Poste's only (digit sum 20 here).
        assert_eq!(
            check_siret("35600000110004"),
            Err(IdentifierProblem::Checksum)
        );
    }

    #[test]
    fn each_type_has_its_own_shape() {
        use IdentifierType::*;
        assert_eq!(
            check_identifier(EuOutsideFrance, "de 123456789"),
            Ok("DE123456789".into())
        );
        assert_eq!(
            check_identifier(EuOutsideFrance, "FR12345678901"),
            Err(IdentifierProblem::Format)
        );
        assert_eq!(
            check_identifier(Ridet, "1234567001"),
            Ok("1234567001".into())
        );
        assert_eq!(
            check_identifier(Ridet, "12345"),
            Err(IdentifierProblem::Format)
        );
        assert_eq!(
            check_identifier(Tahiti, "a12345001"),
            Ok("A12345001".into())
        );
        assert_eq!(
            check_identifier(Tahiti, "A1234500"),
            Err(IdentifierProblem::Format)
        );
        assert_eq!(
            check_identifier(OutsideEu, " US-EIN 12-3456789 "),
            Ok("US-EIN 12-3456789".into())
        );
        assert_eq!(check_identifier(Other, ""), Err(IdentifierProblem::Missing));
        for kind in IdentifierType::ALL {
            assert_eq!(IdentifierType::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn any_unicode_is_refused_or_kept_never_a_panic() {
        use IdentifierType::*;
        // Multi-byte characters where the country code or the digits are
        // expected (a byte split once panicked inside `€`).
        let typed = [
            "€€€€€",
            "é",
            "éé123456789",
            "DÉ123456789",
            "DE12345678É",
            "D€123456789",
            "🇩🇪123456789",
            "😀",
            "DE😀😀😀",
            "ΔΕ123456789",
            "Дe123456789",
            "日本123456789",
            "DE١٢٣٤٥٦٧٨٩",
            "e\u{301}\u{301}123456",
            "\u{202E}DE123456789",
            "\u{200F}",
        ];
        for kind in IdentifierType::ALL {
            for value in typed {
                let checked = check_identifier(kind, value);
                match kind {
                    OutsideEu | Individual | Other => assert!(checked.is_ok(), "{kind:?} {value}"),
                    _ => assert_eq!(checked, Err(IdentifierProblem::Format), "{kind:?} {value}"),
                }
            }
        }
        // Free identifiers keep their letters, accents and scripts.
        assert_eq!(
            check_identifier(Other, " Société Générale – 日本 🍀 "),
            Ok("Société Générale – 日本 🍀".into())
        );
        assert_eq!(
            check_identifier(EuOutsideFrance, "es b12345678"),
            Ok("ESB12345678".into())
        );
    }
}
