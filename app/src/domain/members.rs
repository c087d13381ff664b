//! *Utilisateurs rattachés à la structure* (rule M2): how the managers'
//! table of a structure's users is sorted and filtered. The page builds a
//! [`MemberQuery`] from its filter field and column headers; the server
//! checks the same one before the database sorts and filters (the table may
//! hold thousands of users: it is never sorted in the browser).

use super::attachments::Standing;
use super::text::has_refused_char;
use serde::{Deserialize, Serialize};

/// The longest filter, in characters.
pub const MAX_FILTER: usize = 100;

/// The columns the table sorts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MemberSort {
    /// *Nom*, then *Prénom*.
    #[default]
    LastName,
    /// *Prénom*, then *Nom*.
    FirstName,
    /// *Adresse de connexion*.
    LoginEmail,
    /// *Date dernière connexion*; never logged in sorts first.
    LastLogin,
}

/// A page's sorting and filtering, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemberQuery {
    /// Matched within the last name, the first name and the login
    /// address, ignoring case and accents (*elodie* finds *Élodie*); empty:
    /// every user.
    pub filter: String,
    pub sort: MemberSort,
    pub descending: bool,
}

/// Why a filter is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterProblem {
    TooLong,
    Invalid,
}

/// Checks a typed filter: trimmed, at most [`MAX_FILTER`] characters, no
/// control characters (`domain::text`).
pub fn check_filter(typed: &str) -> Result<String, FilterProblem> {
    let trimmed = typed.trim();
    if trimmed.chars().count() > MAX_FILTER {
        return Err(FilterProblem::TooLong);
    }
    if has_refused_char(trimmed) {
        return Err(FilterProblem::Invalid);
    }
    Ok(trimmed.to_owned())
}

impl MemberQuery {
    /// The query after a click on a column header: the same column turns
    /// the order over, another column sorts on it, ascending.
    pub fn sorted_by(&self, sort: MemberSort) -> MemberQuery {
        MemberQuery {
            filter: self.filter.clone(),
            sort,
            descending: self.sort == sort && !self.descending,
        }
    }
}

/// What a manager does to the users ticked in the table (rule M2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberAction {
    /// Suspends their access to the structure.
    Deactivate,
    /// Gives it back.
    Reactivate,
    /// Detaches them from the structure.
    Delete,
}

/// The most users one action takes (a page of the table is 50 at most).
pub const MAX_SELECTED: usize = 100;

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberActionRefusal {
    /// No user was ticked, or too many.
    Selection,
    /// Never the primary manager: the role must be transferred first.
    PrimaryManager,
    /// Not on oneself (a manager leaves with *Me détacher*).
    Yourself,
    /// *Rattacher un utilisateur*: the address's account is already
    /// attached to the structure.
    AlreadyAttached,
    /// *Rattacher un utilisateur*: the address was already invited and the
    /// invitation still runs (it is not sent twice).
    AlreadyInvited,
    /// *Rattacher un utilisateur*: the manager has added
    /// [`ADDITIONS_PER_DAY`] users today.
    TooManyAdditions,
}

/// What *Rattacher un utilisateur* did (rule M2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Added {
    /// The address has an account: attached at once, and told.
    Attached,
    /// The address has no account: invited to create one, attached when it
    /// is activated.
    Invited,
}

/// Users a manager may add in a day. Adding tells whether an address has
/// an account (the spec's two outcomes) and sends mail to addresses the
/// portal does not know: the limit bounds both uses as an oracle or a
/// mailer.
pub const ADDITIONS_PER_DAY: u32 = 50;

/// How long an invitation waits for its account to be activated.
pub const INVITATION_DAYS: i64 = 30;

/// Whether a user of standing `actor` may act on a user (`on_self`: the
/// same one; `primary`: the structure's primary manager).
pub fn may_act(actor: Standing, on_self: bool, primary: bool) -> Result<(), MemberActionRefusal> {
    debug_assert!(actor.may_manage(), "the caller checks the actor first");
    if primary {
        return Err(MemberActionRefusal::PrimaryManager);
    }
    if on_self {
        return Err(MemberActionRefusal::Yourself);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_is_trimmed_bounded_and_visible() {
        assert_eq!(check_filter("  Curie "), Ok("Curie".into()));
        assert_eq!(check_filter(""), Ok(String::new()));
        assert_eq!(
            check_filter(&"a".repeat(MAX_FILTER)).map(|f| f.len()),
            Ok(MAX_FILTER)
        );
        assert_eq!(
            check_filter(&"é".repeat(MAX_FILTER + 1)),
            Err(FilterProblem::TooLong)
        );
        assert_eq!(check_filter("a\u{0}b"), Err(FilterProblem::Invalid));
        assert_eq!(check_filter("a\tb"), Err(FilterProblem::Invalid));
    }

    #[test]
    fn never_the_primary_manager_nor_oneself() {
        assert_eq!(may_act(Standing::Manager, false, false), Ok(()));
        assert_eq!(
            may_act(Standing::PrimaryManager, false, true),
            Err(MemberActionRefusal::PrimaryManager)
        );
        assert_eq!(
            may_act(Standing::Manager, true, false),
            Err(MemberActionRefusal::Yourself)
        );
    }

    #[test]
    fn the_same_header_turns_the_order_over() {
        let start = MemberQuery::default();
        let once = start.sorted_by(MemberSort::LastName);
        assert!(once.descending);
        assert!(!once.sorted_by(MemberSort::LastName).descending);
        let other = once.sorted_by(MemberSort::LastLogin);
        assert_eq!(
            (other.sort, other.descending),
            (MemberSort::LastLogin, false)
        );
    }
}
