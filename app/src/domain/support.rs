//! Support's back office (rule U2): who may act as Support, and the rules of
//! its ticket desk (the queue's filters, a reply).
//!
//! Support is named by configuration (`[support] logins`), and its powers
//! are large: it reads what users wrote, answers in the portal's name and,
//! from a ticket, changes a user's login address. So a Support session must
//! have been opened with a factor that cannot be read from a mailbox: an
//! authenticator app or a security key. An account taken through its
//! mailbox (the e-mailed code, or a recovery code kept beside it) logs in as
//! a user, never as Support. The check is made on every Support call, from
//! the session, not from the account's factors (which may have been added
//! after this session was opened with the e-mailed code).

use super::account::FieldProblem;
use super::factors::Factor;
use super::tickets::{Situation, TicketRefusal, TicketStatus, check_long_text};
use serde::{Deserialize, Serialize};

/// Tickets on one page of the queue.
pub const QUEUE_PER_PAGE: u64 = 20;
/// The longest search Support may type.
pub const MAX_SEARCH_CHARS: usize = 100;
/// The longest reply (the same as a ticket's description).
pub const MAX_REPLY_CHARS: usize = super::tickets::MAX_DESCRIPTION_CHARS;

/// Why a Support call is refused beyond *not allowed*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupportRefusal {
    /// The caller is Support, but this session was opened with the e-mailed
    /// code or a recovery code: log in again with an app or a key.
    StrongLoginRequired,
    /// The account is already in the state asked for (another agent, or
    /// the same one twice).
    AccountUnchanged,
    /// A Support account is deactivated through the configuration, not by
    /// another agent (nor by itself).
    SupportAccount,
}

/// Whether a session opened with `factor` may act as Support. `None`: a
/// session from before the factor was recorded, which must log in again.
pub fn is_strong_login(factor: Option<Factor>) -> bool {
    matches!(factor, Some(Factor::Totp | Factor::SecurityKey))
}

/// The queue's filters, as checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketQuery {
    pub status: Option<TicketStatus>,
    pub situation: Option<Situation>,
    /// Trimmed and lower-case: part of an address, or a ticket's number.
    pub search: String,
}

impl TicketQuery {
    /// The filters from their codes (empty: any); `None` for an unknown code
    /// or a search longer than [`MAX_SEARCH_CHARS`].
    pub fn parse(status: &str, situation: &str, search: &str) -> Option<TicketQuery> {
        let status = match status {
            "" => None,
            code => Some(TicketStatus::from_code(code)?),
        };
        let situation = match situation {
            "" => None,
            code => Some(Situation::from_code(code)?),
        };
        let search = search.trim().to_lowercase();
        if search.chars().count() > MAX_SEARCH_CHARS {
            return None;
        }
        Some(TicketQuery {
            status,
            situation,
            search,
        })
    }

    /// The ticket the search names by its number (`SUP-000042`, `sup-42` or
    /// `42`), if it does.
    pub fn number(&self) -> Option<i32> {
        let digits = self.search.strip_prefix("sup-").unwrap_or(&self.search);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }
}

/// A reply as Support typed it: trimmed, 1 to [`MAX_REPLY_CHARS`]
/// characters, without control characters.
pub fn check_reply(raw: &str) -> Result<String, FieldProblem> {
    check_long_text(raw, 1, MAX_REPLY_CHARS)
}

/// An account's state as Support's account page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    /// Created, its activation link not used yet.
    Pending,
    Active,
    /// Deactivated by its owner (rule P5): *Mot de passe oublié ?* brings it
    /// back.
    DeactivatedByOwner,
    /// Deactivated by Support: only Support brings it back.
    DeactivatedBySupport,
}

/// The login address Support looks an account up by, as stored (trimmed,
/// lower case); `None` when longer than any filter of the audit log, which
/// the account page links to.
pub fn account_lookup(raw: &str) -> Option<String> {
    let address = raw.trim().to_lowercase();
    (address.chars().count() <= super::audit::MAX_FILTER_CHARS).then_some(address)
}

/// The longest reason for a decision of Support.
pub const MAX_REASON_CHARS: usize = 1_000;

/// The reason Support gives for deactivating or reactivating an account or
/// refusing a structure (told to the person, kept in the audit log):
/// trimmed, 1 to [`MAX_REASON_CHARS`] characters, without control
/// characters.
pub fn check_reason(raw: &str) -> Result<String, FieldProblem> {
    check_long_text(raw, 1, MAX_REASON_CHARS)
}

/// The unblocking procedure of seed 000 (a user whose login address no
/// longer receives mail): from which tickets Support may start a change of
/// login address, and for which address. The situations are those where
/// the login address may be what fails (the codes and resets go there);
/// a closed ticket must be reopened first, so the act is seen in the queue.
pub fn unblocking_target(
    situation: Situation,
    status: TicketStatus,
    login_address: Option<&str>,
) -> Result<&str, TicketRefusal> {
    if status == TicketStatus::Closed {
        return Err(TicketRefusal::StatusChanged);
    }
    match (situation, login_address) {
        (
            Situation::LoginProblem | Situation::LoginCode | Situation::LoginAddressChange,
            Some(address),
        ) if !address.is_empty() => Ok(address),
        _ => Err(TicketRefusal::NoLoginAddress),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unblocking_starts_from_an_open_login_ticket_naming_its_address() {
        let old = Some("ancienne@example.fr");
        let open = TicketStatus::Open;
        assert_eq!(
            unblocking_target(Situation::LoginProblem, open, old),
            Ok("ancienne@example.fr")
        );
        assert!(unblocking_target(Situation::LoginCode, TicketStatus::Answered, old).is_ok());
        assert!(unblocking_target(Situation::LoginAddressChange, open, old).is_ok());
        assert_eq!(
            unblocking_target(Situation::Other, open, old),
            Err(TicketRefusal::NoLoginAddress)
        );
        assert_eq!(
            unblocking_target(Situation::ActivationMail, open, old),
            Err(TicketRefusal::NoLoginAddress)
        );
        assert_eq!(
            unblocking_target(Situation::LoginCode, open, None),
            Err(TicketRefusal::NoLoginAddress)
        );
        assert_eq!(
            unblocking_target(Situation::LoginProblem, TicketStatus::Closed, old),
            Err(TicketRefusal::StatusChanged)
        );
    }

    #[test]
    fn an_account_is_looked_up_by_its_address_as_stored() {
        assert_eq!(
            account_lookup("  Marie@Example.FR "),
            Some("marie@example.fr".into())
        );
        let longest = "a".repeat(super::super::audit::MAX_FILTER_CHARS);
        assert_eq!(account_lookup(&longest), Some(longest.clone()));
        assert_eq!(account_lookup(&format!("{longest}b")), None);
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert_eq!(
            check_reason("  Usurpation signalée \r\n"),
            Ok("Usurpation signalée".into())
        );
        assert_eq!(check_reason(" \n "), Err(FieldProblem::Required));
        assert_eq!(
            check_reason(&"x".repeat(MAX_REASON_CHARS + 1)),
            Err(FieldProblem::TooLong)
        );
        assert_eq!(
            check_reason("a\u{7}b"),
            Err(FieldProblem::InvalidCharacters)
        );
    }

    #[test]
    fn only_an_app_or_a_key_opens_a_support_session() {
        assert!(is_strong_login(Some(Factor::Totp)));
        assert!(is_strong_login(Some(Factor::SecurityKey)));
        assert!(!is_strong_login(Some(Factor::EmailCode)));
        assert!(!is_strong_login(Some(Factor::RecoveryCode)));
        assert!(!is_strong_login(None));
    }

    #[test]
    fn the_filters_are_codes_and_unknown_ones_are_refused() {
        let query =
            TicketQuery::parse("open", "probleme-connexion", "  Marie@Example.fr ").unwrap();
        assert_eq!(query.status, Some(TicketStatus::Open));
        assert_eq!(query.situation, Some(Situation::LoginProblem));
        assert_eq!(query.search, "marie@example.fr");
        assert_eq!(TicketQuery::parse("", "", ""), Some(TicketQuery::default()));
        assert_eq!(TicketQuery::parse("lost", "", ""), None);
        assert_eq!(TicketQuery::parse("", "lost", ""), None);
        assert_eq!(TicketQuery::parse("", "", &"a".repeat(101)), None);
    }

    #[test]
    fn a_number_is_found_in_its_written_forms() {
        let number = |search: &str| TicketQuery::parse("", "", search).unwrap().number();
        assert_eq!(number("SUP-000042"), Some(42));
        assert_eq!(number("sup-42"), Some(42));
        assert_eq!(number("42"), Some(42));
        assert_eq!(number("sup-"), None);
        assert_eq!(number("marie"), None);
        assert_eq!(number("99999999999"), None);
    }

    #[test]
    fn a_reply_has_text_within_bounds() {
        assert_eq!(check_reply("  Bonjour  ").unwrap(), "Bonjour");
        assert_eq!(check_reply("   "), Err(FieldProblem::Required));
        assert_eq!(
            check_reply(&"a".repeat(MAX_REPLY_CHARS + 1)),
            Err(FieldProblem::TooLong)
        );
        assert_eq!(check_reply("a\u{7}b"), Err(FieldProblem::InvalidCharacters));
    }
}
