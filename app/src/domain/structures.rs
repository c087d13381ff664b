//! The *Créer une nouvelle structure* form (rules S1, S3): the identifier
//! by type, the optional *libellé*, e-mail and phone, and, for identifiers
//! the SIRENE directory does not know, the *raison sociale* typed by the user;
//! a structure's services (rule S4); and why either is refused
//! ([`StructureRefusal`]).

use super::account::{FieldProblem, check_email, check_name, check_phone};
use super::identifiers::{IdentifierProblem, IdentifierType, check_identifier};
use serde::{Deserialize, Serialize};

/// Why a structure or a service cannot be created or changed (rules S1–S4);
/// a caller without the right gets a plain *not allowed*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StructureRefusal {
    /// The SIRET is not in the SIRENE directory.
    SiretUnknown,
    /// The establishment is closed, or its legal unit has ceased.
    SiretClosed,
    /// A structure with this identifier exists: ask to be attached instead.
    AlreadyExists,
    /// The structure already has a service with this code.
    ServiceCodeTaken,
    /// The service's code or label is not acceptable.
    ServiceInvalid,
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureInput {
    /// An [`IdentifierType::code`].
    pub identifier_type: String,
    pub identifier: String,
    /// Ignored for a SIRET: the directory's name is used.
    pub name: String,
    pub label: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StructureField {
    IdentifierType,
    Identifier,
    Name,
    Label,
    Email,
    Phone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StructureProblem {
    Field(FieldProblem),
    Identifier(IdentifierProblem),
}

/// The form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStructure {
    pub kind: IdentifierType,
    pub identifier: String,
    /// `None` for a SIRET.
    pub name: Option<String>,
    pub label: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

fn optional(raw: &str) -> Option<&str> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Checks every field; all the problems at once, each with its field.
pub fn validate_structure(
    input: &StructureInput,
) -> Result<ValidStructure, Vec<(StructureField, StructureProblem)>> {
    let mut problems = Vec::new();
    let kind = IdentifierType::from_code(&input.identifier_type);
    if kind.is_none() {
        problems.push((
            StructureField::IdentifierType,
            StructureProblem::Field(FieldProblem::Required),
        ));
    }
    let identifier = kind.map(|k| check_identifier(k, &input.identifier));
    if let Some(Err(problem)) = identifier {
        problems.push((
            StructureField::Identifier,
            StructureProblem::Identifier(problem),
        ));
    }
    let name = match kind {
        Some(IdentifierType::Siret) | None => None,
        Some(_) => match check_name(&input.name) {
            Ok(name) => Some(name),
            Err(problem) => {
                problems.push((StructureField::Name, StructureProblem::Field(problem)));
                None
            }
        },
    };
    let label = optional(&input.label)
        .map(check_name)
        .transpose()
        .unwrap_or_else(|problem| {
            problems.push((StructureField::Label, StructureProblem::Field(problem)));
            None
        });
    let email = optional(&input.email)
        .map(check_email)
        .transpose()
        .unwrap_or_else(|problem| {
            problems.push((StructureField::Email, StructureProblem::Field(problem)));
            None
        });
    let phone = check_phone(&input.phone).unwrap_or_else(|problem| {
        problems.push((StructureField::Phone, StructureProblem::Field(problem)));
        None
    });
    match (kind, identifier) {
        (Some(kind), Some(Ok(identifier))) if problems.is_empty() => Ok(ValidStructure {
            kind,
            identifier,
            name,
            label,
            email,
            phone,
        }),
        _ => Err(problems),
    }
}

/// The longest service code, in characters.
pub const MAX_SERVICE_CODE: usize = 40;

/// A service code (rule S4), trimmed: letters, digits, `-` and `_`, at most
/// [`MAX_SERVICE_CODE`]; `None` otherwise.
pub fn check_service_code(code: &str) -> Option<String> {
    let code = code.trim();
    let ok = !code.is_empty()
        && code.chars().count() <= MAX_SERVICE_CODE
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| code.to_owned())
}

/// A service as typed on a structure's services page, checked (rule S4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidService {
    /// See [`check_service_code`].
    pub code: String,
    pub label: String,
}

/// Checks a new service: a [`check_service_code`] code and a non-empty
/// label, both trimmed.
pub fn check_service(code: &str, label: &str) -> Result<ValidService, StructureRefusal> {
    match (check_service_code(code), check_name(label)) {
        (Some(code), Ok(label)) => Ok(ValidService { code, label }),
        _ => Err(StructureRefusal::ServiceInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_siret_structure_needs_no_typed_name() {
        let input = StructureInput {
            identifier_type: "siret".into(),
            identifier: "901 000 018 00019".into(),
            label: " Siège ".into(),
            ..Default::default()
        };
        let valid = validate_structure(&input).unwrap();
        assert_eq!(valid.identifier, "90100001800019");
        assert_eq!(valid.name, None);
        assert_eq!(valid.label.as_deref(), Some("Siège"));
    }

    #[test]
    fn service_codes_are_short_plain_words() {
        assert_eq!(
            check_service_code(" ACHATS-01 ").as_deref(),
            Some("ACHATS-01")
        );
        assert_eq!(check_service_code("achats et ventes"), None);
        assert_eq!(check_service_code(""), None);
        assert_eq!(check_service_code(&"A".repeat(41)), None);
    }

    #[test]
    fn a_service_needs_a_plain_code_and_a_label() {
        let valid = check_service(" ACHATS ", " Service achats ").unwrap();
        assert_eq!(
            valid,
            ValidService {
                code: "ACHATS".into(),
                label: "Service achats".into()
            }
        );
        assert_eq!(
            check_service("deux mots", "Autre"),
            Err(StructureRefusal::ServiceInvalid)
        );
        assert_eq!(
            check_service("ACHATS", "  "),
            Err(StructureRefusal::ServiceInvalid)
        );
    }

    #[test]
    fn every_problem_comes_with_its_field() {
        let input = StructureInput {
            identifier_type: "ridet".into(),
            identifier: "12".into(),
            email: "pas-une-adresse".into(),
            phone: "abc".into(),
            ..Default::default()
        };
        let problems = validate_structure(&input).unwrap_err();
        let fields: Vec<StructureField> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![
                StructureField::Identifier,
                StructureField::Name,
                StructureField::Email,
                StructureField::Phone
            ]
        );
        let unknown = StructureInput {
            identifier_type: "iban".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_structure(&unknown).unwrap_err()[0].0,
            StructureField::IdentifierType
        );
    }
}
