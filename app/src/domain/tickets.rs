//! Support tickets (rule U1; seed 000, seed 001 §1.7.2): *Nous contacter*
//! → *Envoyer un ticket*, for visitors and logged-in users alike.
//!
//! The sender chooses the situation, gives the address where Support may
//! answer (twice: a typo would lose the answer) and describes the problem.
//! For a *Problème de connexion*, seed 000 asks for the login address that
//! no longer works: it has a field of its own, required there, so Support's
//! unblocking procedure starts from a checked address rather than one found
//! in free text. The same checks run in the page and on the server.
//!
//! A ticket's life, which only Support moves: open → answered (Support
//! replied) → closed; a reply to an answered ticket keeps it answered; a
//! closed ticket may be reopened.

use super::account::{FieldProblem, check_email};
use super::text::has_refused_char_multi_line;
use serde::{Deserialize, Serialize};

/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// Shortest description, in characters: enough for Support to start.
pub const MIN_DESCRIPTION_CHARS: usize = 10;

/// *Sélectionnez la situation*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Situation {
    /// *Problème de connexion*
    LoginProblem,
    /// *Je n'ai pas reçu le mail d'activation*
    ActivationMail,
    /// *Je ne reçois pas le code d'authentification*
    LoginCode,
    /// *Changement d'adresse de connexion*
    LoginAddressChange,
    /// *Autre*
    Other,
}

impl Situation {
    pub const ALL: [Situation; 5] = [
        Situation::LoginProblem,
        Situation::ActivationMail,
        Situation::LoginCode,
        Situation::LoginAddressChange,
        Situation::Other,
    ];

    /// The stored code (and the form's option value).
    pub fn code(self) -> &'static str {
        match self {
            Situation::LoginProblem => "probleme-connexion",
            Situation::ActivationMail => "mail-activation",
            Situation::LoginCode => "code-authentification",
            Situation::LoginAddressChange => "changement-adresse",
            Situation::Other => "autre",
        }
    }

    pub fn from_code(code: &str) -> Option<Situation> {
        Situation::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the form asks for the login address concerned, and whether
    /// it must be given.
    pub fn login_address(self) -> LoginAddressField {
        match self {
            Situation::LoginProblem => LoginAddressField::Required,
            Situation::ActivationMail | Situation::LoginCode | Situation::LoginAddressChange => {
                LoginAddressField::Optional
            }
            Situation::Other => LoginAddressField::Absent,
        }
    }
}

/// Whether a situation shows the field of the login address concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAddressField {
    Required,
    Optional,
    Absent,
}

/// A field of the ticket form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketField {
    Situation,
    Email,
    EmailConfirmation,
    LoginAddress,
    Description,
}

impl TicketField {
    pub const ALL: [TicketField; 5] = [
        TicketField::Situation,
        TicketField::Email,
        TicketField::EmailConfirmation,
        TicketField::LoginAddress,
        TicketField::Description,
    ];
}

/// The form as typed (the situation as its code).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInput {
    pub situation: String,
    pub email: String,
    pub email_confirmation: String,
    pub login_address: String,
    pub description: String,
}

/// The form once valid: addresses normalised, the description trimmed,
/// the login address kept only where the situation asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTicket {
    pub situation: Situation,
    pub email: String,
    pub login_address: Option<String>,
    pub description: String,
}

/// One field's problem, if any.
pub fn check_ticket_field(input: &TicketInput, field: TicketField) -> Result<(), FieldProblem> {
    let situation = Situation::from_code(&input.situation);
    match field {
        TicketField::Situation => situation.map(|_| ()).ok_or(FieldProblem::Required),
        TicketField::Email => check_email(&input.email).map(|_| ()),
        TicketField::EmailConfirmation => {
            let confirmation = check_email(&input.email_confirmation)?;
            match check_email(&input.email) {
                Ok(email) if email != confirmation => Err(FieldProblem::Mismatch),
                _ => Ok(()),
            }
        }
        TicketField::LoginAddress => {
            match situation.map_or(LoginAddressField::Absent, Situation::login_address) {
                LoginAddressField::Absent => Ok(()),
                LoginAddressField::Optional if input.login_address.trim().is_empty() => Ok(()),
                _ => check_email(&input.login_address).map(|_| ()),
            }
        }
        TicketField::Description => check_description(&input.description).map(|_| ()),
    }
}

fn check_description(raw: &str) -> Result<String, FieldProblem> {
    check_long_text(raw, MIN_DESCRIPTION_CHARS, MAX_DESCRIPTION_CHARS)
}

/// A text of several lines between `min` and `max` characters once trimmed
/// (line ends as `\n`), without control characters.
pub(crate) fn check_long_text(raw: &str, min: usize, max: usize) -> Result<String, FieldProblem> {
    let text = raw.trim().replace("\r\n", "\n");
    let length = text.chars().count();
    if length == 0 {
        return Err(FieldProblem::Required);
    }
    if length < min {
        return Err(FieldProblem::TooShort);
    }
    if length > max {
        return Err(FieldProblem::TooLong);
    }
    if has_refused_char_multi_line(&text) {
        return Err(FieldProblem::InvalidCharacters);
    }
    Ok(text)
}

/// The whole form: the valid ticket, or every field's problem.
pub fn check_ticket(input: &TicketInput) -> Result<ValidTicket, Vec<(TicketField, FieldProblem)>> {
    let problems: Vec<_> = TicketField::ALL
        .into_iter()
        .filter_map(|field| check_ticket_field(input, field).err().map(|p| (field, p)))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(situation), Ok(email), Ok(description)) = (
        Situation::from_code(&input.situation),
        check_email(&input.email),
        check_description(&input.description),
    ) else {
        return Err(vec![(TicketField::Situation, FieldProblem::Required)]);
    };
    let login_address = match situation.login_address() {
        LoginAddressField::Absent => None,
        _ => check_email(&input.login_address).ok(),
    };
    Ok(ValidTicket {
        situation,
        email,
        login_address,
        description,
    })
}

/// Why a ticket is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketRefusal {
    /// Too many tickets from this client, or to this address, lately.
    TooManyTickets,
    /// Support's act does not apply to the ticket as it now stands (another
    /// agent closed or reopened it meanwhile).
    StatusChanged,
    /// The unblocking procedure needs a login problem (or a change of login
    /// address) naming the login address concerned.
    NoLoginAddress,
    /// No active account has the ticket's login address.
    NoSuchAccount,
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketStatus {
    Open,
    Answered,
    Closed,
}

impl TicketStatus {
    pub fn code(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::Closed => "closed",
        }
    }

    pub const ALL: [TicketStatus; 3] = [
        TicketStatus::Open,
        TicketStatus::Answered,
        TicketStatus::Closed,
    ];

    pub fn from_code(code: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status after Support's `act`, or `None` when it does not apply.
    pub fn after(self, act: SupportAct) -> Option<TicketStatus> {
        match (self, act) {
            (TicketStatus::Open | TicketStatus::Answered, SupportAct::Reply) => {
                Some(TicketStatus::Answered)
            }
            (TicketStatus::Open | TicketStatus::Answered, SupportAct::Close) => {
                Some(TicketStatus::Closed)
            }
            (TicketStatus::Closed, SupportAct::Reopen) => Some(TicketStatus::Open),
            _ => None,
        }
    }
}

/// What Support does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupportAct {
    Reply,
    Close,
    Reopen,
}

impl SupportAct {
    /// The status `self` leaves a ticket in, from any it applies to: so the
    /// database can move a ticket in one conditional update.
    pub fn leads_to(self) -> TicketStatus {
        match self {
            SupportAct::Reply => TicketStatus::Answered,
            SupportAct::Close => TicketStatus::Closed,
            SupportAct::Reopen => TicketStatus::Open,
        }
    }

    /// The statuses `self` applies to.
    pub fn applies_to(self) -> Vec<TicketStatus> {
        TicketStatus::ALL
            .into_iter()
            .filter(|status| status.after(self).is_some())
            .collect()
    }
}

/// The number a ticket is known by (in its e-mail and to Support).
pub fn ticket_number(id: i32) -> String {
    format!("SUP-{id:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_support_moves_a_ticket_and_each_act_has_one_outcome() {
        use SupportAct::*;
        use TicketStatus::*;
        assert_eq!(Open.after(Reply), Some(Answered));
        assert_eq!(Answered.after(Reply), Some(Answered));
        assert_eq!(Closed.after(Reply), None, "reopen a closed ticket first");
        assert_eq!(Open.after(Close), Some(Closed));
        assert_eq!(Closed.after(Close), None);
        assert_eq!(Closed.after(Reopen), Some(Open));
        assert_eq!(Open.after(Reopen), None);
        for act in [Reply, Close, Reopen] {
            assert!(!act.applies_to().is_empty());
            for from in act.applies_to() {
                assert_eq!(from.after(act), Some(act.leads_to()));
            }
        }
        assert_eq!(Close.applies_to(), vec![Open, Answered]);
    }

    fn input(situation: Situation) -> TicketInput {
        TicketInput {
            situation: situation.code().into(),
            email: " Marie@Example.fr ".into(),
            email_confirmation: "marie@example.fr".into(),
            login_address: String::new(),
            description: "Je ne reçois plus rien à mon ancienne adresse.".into(),
        }
    }

    #[test]
    fn a_ticket_is_valid_with_its_address_confirmed() {
        let valid = check_ticket(&input(Situation::Other)).unwrap();
        assert_eq!(valid.email, "marie@example.fr");
        assert_eq!(valid.situation, Situation::Other);
        assert_eq!(valid.login_address, None);
    }

    #[test]
    fn a_login_problem_needs_the_login_address_that_no_longer_works() {
        let mut typed = input(Situation::LoginProblem);
        assert_eq!(
            check_ticket(&typed).unwrap_err(),
            vec![(TicketField::LoginAddress, FieldProblem::Required)]
        );
        typed.login_address = "ancienne@example.fr".into();
        let valid = check_ticket(&typed).unwrap();
        assert_eq!(valid.login_address.as_deref(), Some("ancienne@example.fr"));
        // Elsewhere it is optional, and ignored where the form hides it.
        let mut code = input(Situation::LoginCode);
        assert!(check_ticket(&code).is_ok());
        code.login_address = "pas une adresse".into();
        assert_eq!(
            check_ticket(&code).unwrap_err(),
            vec![(TicketField::LoginAddress, FieldProblem::InvalidEmail)]
        );
        let mut other = input(Situation::Other);
        other.login_address = "pas une adresse".into();
        assert_eq!(check_ticket(&other).unwrap().login_address, None);
    }

    #[test]
    fn every_wrong_field_is_named() {
        let typed = TicketInput {
            situation: "inconnue".into(),
            email: "marie@example.fr".into(),
            email_confirmation: "marie@example.com".into(),
            login_address: String::new(),
            description: "Aidez".into(),
        };
        assert_eq!(
            check_ticket(&typed).unwrap_err(),
            vec![
                (TicketField::Situation, FieldProblem::Required),
                (TicketField::EmailConfirmation, FieldProblem::Mismatch),
                (TicketField::Description, FieldProblem::TooShort),
            ]
        );
        let mut long = input(Situation::Other);
        long.description = "a".repeat(MAX_DESCRIPTION_CHARS + 1);
        assert_eq!(
            check_ticket(&long).unwrap_err(),
            vec![(TicketField::Description, FieldProblem::TooLong)]
        );
        long.description = "Bonjour\u{0}".repeat(3);
        assert_eq!(
            check_ticket(&long).unwrap_err(),
            vec![(TicketField::Description, FieldProblem::InvalidCharacters)]
        );
    }

    #[test]
    fn only_support_moves_a_ticket_along_its_life() {
        use SupportAct::*;
        use TicketStatus::*;
        assert_eq!(Open.after(Reply), Some(Answered));
        assert_eq!(Answered.after(Reply), Some(Answered));
        assert_eq!(Answered.after(Close), Some(Closed));
        assert_eq!(Closed.after(Reply), None);
        assert_eq!(Closed.after(Reopen), Some(Open));
        assert_eq!(Open.after(Reopen), None);
        for status in [Open, Answered, Closed] {
            assert_eq!(TicketStatus::from_code(status.code()), Some(status));
        }
        for situation in Situation::ALL {
            assert_eq!(Situation::from_code(situation.code()), Some(situation));
        }
        assert_eq!(ticket_number(42), "SUP-000042");
    }
}
