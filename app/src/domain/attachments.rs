//! Attachment requests (rules S5–S8, H5): the life of a request and who may
//! decide it, as plain rules for the forms and the server functions.
//!
//! A request is *pending* until a manager of the structure approves or
//! rejects it, or its author cancels it; a decided request never changes
//! again (a second approval of the same request is refused, not repeated).

use super::text::{has_refused_char, has_refused_char_multi_line};
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

/// What can happen to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestEvent {
    Approve,
    Reject,
    Cancel,
}

/// A user's standing on a structure, as far as requests are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Not attached to the structure.
    Stranger,
    /// Attached, without *Organisation modification*.
    Member,
    /// Holds *Organisation modification* (rule H5).
    Manager,
    /// The primary manager: a manager, and the *Approbateur* shown (S7).
    PrimaryManager,
}

impl Standing {
    /// Whether this user may see and decide the structure's requests.
    pub fn may_decide_requests(self) -> bool {
        matches!(self, Standing::Manager | Standing::PrimaryManager)
    }

    /// Whether this user may maintain the structure and its services
    /// (*Organisation modification*, rule H5).
    pub fn may_manage(self) -> bool {
        self.may_decide_requests()
    }

    /// Whether this user may detach from the whole structure: the primary
    /// manager must first hand the role over (rule M3).
    pub fn may_detach(self) -> bool {
        matches!(self, Standing::Member | Standing::Manager)
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransitionDenied {
    /// The request was already decided or cancelled.
    AlreadyClosed(RequestStatus),
    /// This user may not do this to this request.
    NotAllowed,
}

impl RequestStatus {
    /// The status after `event` by a user of `standing` who is (or is not)
    /// the request's author.
    pub fn apply(
        self,
        event: RequestEvent,
        standing: Standing,
        is_author: bool,
    ) -> Result<RequestStatus, TransitionDenied> {
        // Who may act comes first: a user without the right learns nothing
        // of where the request stands (rule H6).
        let allowed = match event {
            RequestEvent::Approve | RequestEvent::Reject => standing.may_decide_requests(),
            RequestEvent::Cancel => is_author,
        };
        if !allowed {
            return Err(TransitionDenied::NotAllowed);
        }
        if self != RequestStatus::Pending {
            return Err(TransitionDenied::AlreadyClosed(self));
        }
        Ok(match event {
            RequestEvent::Approve => RequestStatus::Approved,
            RequestEvent::Reject => RequestStatus::Rejected,
            RequestEvent::Cancel => RequestStatus::Cancelled,
        })
    }
}

/// Why an attachment operation is refused, as the user is told (the
/// refusals that are not a plain *not allowed* or *not found*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentRefusal {
    /// The structure waits for Support (rule S10).
    AwaitingSupport,
    /// Already attached to what is asked for.
    AlreadyAttached,
    /// A request for this structure is already pending.
    AlreadyPending,
    /// A chosen service is not an active service of the structure.
    ServiceUnknown,
    /// The request was already decided or cancelled.
    Closed(RequestStatus),
    /// The primary manager must transfer the role first (rule M3).
    PrimaryManager,
    /// Services were chosen but the attachment covers the whole structure.
    NotServiceLevel,
}

/// The longest comment of a request, in characters.
pub const MAX_COMMENT: usize = 1000;

/// Why a request's comment is refused (it is mandatory: rule S5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentProblem {
    Missing,
    TooLong,
    /// A control character other than a line break or a tab
    /// (see [`super::text`]).
    InvalidCharacters,
}

/// The comment, trimmed: mandatory, at most [`MAX_COMMENT`] characters, on
/// several lines if need be.
pub fn check_comment(comment: &str) -> Result<String, CommentProblem> {
    let trimmed = comment.trim();
    if trimmed.is_empty() {
        Err(CommentProblem::Missing)
    } else if trimmed.chars().count() > MAX_COMMENT {
        Err(CommentProblem::TooLong)
    } else if has_refused_char_multi_line(trimmed) {
        Err(CommentProblem::InvalidCharacters)
    } else {
        Ok(trimmed.to_owned())
    }
}

/// Why a request cannot be sent as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestProblem {
    Comment(CommentProblem),
    /// *À la maille service* is ticked but no service is.
    NoService,
}

/// A request ready to be recorded: the trimmed comment and, for a
/// service-level request, the chosen services (without repeats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub comment: String,
    /// Empty: the whole structure.
    pub services: Vec<i32>,
}

/// Checks *Demander un rattachement* (rule S5): a comment, and at least one
/// service when the request is at service level.
pub fn check_request(
    comment: &str,
    service_level: bool,
    services: &[i32],
) -> Result<ValidRequest, RequestProblem> {
    let comment = check_comment(comment).map_err(RequestProblem::Comment)?;
    let mut chosen: Vec<i32> = if service_level {
        services.to_vec()
    } else {
        Vec::new()
    };
    chosen.sort_unstable();
    chosen.dedup();
    if service_level && chosen.is_empty() {
        return Err(RequestProblem::NoService);
    }
    Ok(ValidRequest {
        comment,
        services: chosen,
    })
}

/// The manager's optional reason (rule S6): trimmed, `None` when blank.
pub fn check_reason(reason: &str) -> Result<Option<String>, CommentProblem> {
    match check_comment(reason) {
        Ok(reason) => Ok(Some(reason)),
        Err(CommentProblem::Missing) => Ok(None),
        Err(problem) => Err(problem),
    }
}

/// The shortest search of a structure, in characters: one letter would
/// match a good part of the national directory.
pub const MIN_SEARCH: usize = 2;

/// The longest search, in characters: longer than any name or identifier.
pub const MAX_SEARCH: usize = 200;

/// A search that cannot match anything: too long, or holding a control
/// character (see [`super::text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidSearch;

/// The search as typed, trimmed, or `None` while it is too short.
pub fn check_search(query: &str) -> Result<Option<&str>, InvalidSearch> {
    let trimmed = query.trim();
    let chars = trimmed.chars().count();
    if chars > MAX_SEARCH || has_refused_char(trimmed) {
        Err(InvalidSearch)
    } else {
        Ok((chars >= MIN_SEARCH).then_some(trimmed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestEvent::*;
    use RequestStatus::*;
    use Standing::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn only_managers_decide_a_pending_request() {
        for standing in [Manager, PrimaryManager] {
            assert_eq!(Pending.apply(Approve, standing, false), Ok(Approved));
            assert_eq!(Pending.apply(Reject, standing, false), Ok(Rejected));
        }
        for standing in [Stranger, Member] {
            assert_eq!(
                Pending.apply(Approve, standing, false),
                Err(TransitionDenied::NotAllowed)
            );
            assert_eq!(
                Pending.apply(Reject, standing, true),
                Err(TransitionDenied::NotAllowed)
            );
        }
    }

    #[test]
    fn a_closed_request_never_changes_again() {
        for closed in [Approved, Rejected, Cancelled] {
            for event in [Approve, Reject, Cancel] {
                assert_eq!(
                    closed.apply(event, PrimaryManager, true),
                    Err(TransitionDenied::AlreadyClosed(closed))
                );
            }
        }
    }

    #[test]
    fn a_user_without_the_right_is_refused_whatever_the_status() {
        for status in [Pending, Approved, Rejected, Cancelled] {
            assert_eq!(
                status.apply(Approve, Member, true),
                Err(TransitionDenied::NotAllowed)
            );
            assert_eq!(
                status.apply(Cancel, Manager, false),
                Err(TransitionDenied::NotAllowed)
            );
        }
    }

    #[test]
    fn only_the_author_cancels() {
        assert_eq!(Pending.apply(Cancel, Stranger, true), Ok(Cancelled));
        assert_eq!(
            Pending.apply(Cancel, PrimaryManager, false),
            Err(TransitionDenied::NotAllowed)
        );
    }

    #[test]
    fn the_primary_manager_cannot_detach_and_comments_are_mandatory() {
        assert!(!PrimaryManager.may_detach());
        assert!(Manager.may_detach() && Member.may_detach());
        assert_eq!(check_comment("  "), Err(CommentProblem::Missing));
        assert_eq!(
            check_comment(" Comptable du service achats "),
            Ok("Comptable du service achats".into())
        );
        assert_eq!(
            check_comment(&"x".repeat(MAX_COMMENT + 1)),
            Err(CommentProblem::TooLong)
        );
    }

    #[test]
    fn a_service_level_request_names_its_services_once() {
        let whole = check_request(" Comptable ", false, &[3, 4]).unwrap();
        assert_eq!(
            whole,
            ValidRequest {
                comment: "Comptable".into(),
                services: vec![]
            }
        );
        let some = check_request("Comptable", true, &[4, 3, 4]).unwrap();
        assert_eq!(some.services, vec![3, 4]);
        assert_eq!(
            check_request("Comptable", true, &[]),
            Err(RequestProblem::NoService)
        );
        assert_eq!(
            check_request("", true, &[3]),
            Err(RequestProblem::Comment(CommentProblem::Missing))
        );
    }

    #[test]
    fn a_reason_is_optional_and_a_search_needs_two_characters() {
        assert_eq!(check_reason("  "), Ok(None));
        assert_eq!(check_reason(" Inconnu "), Ok(Some("Inconnu".into())));
        assert_eq!(
            check_reason("Bonjour,\r\n\tcomptable 🧾 ‏שלום"),
            Ok(Some("Bonjour,\r\n\tcomptable 🧾 ‏שלום".into()))
        );
        for bad in ["a\0b", "a\u{1}b", "\u{1b}[2J", "a\u{85}b"] {
            assert_eq!(
                check_reason(bad),
                Err(CommentProblem::InvalidCharacters),
                "{bad:?}"
            );
            assert_eq!(
                check_comment(bad),
                Err(CommentProblem::InvalidCharacters),
                "{bad:?}"
            );
        }
        assert_eq!(
            check_reason(&"x".repeat(MAX_COMMENT + 1)),
            Err(CommentProblem::TooLong)
        );
        assert_eq!(check_search(" a "), Ok(None));
        assert_eq!(check_search(" él "), Ok(Some("él")));
        assert_eq!(check_search("Ωμέγα 日本 🍀"), Ok(Some("Ωμέγα 日本 🍀")));
        assert_eq!(check_search("ab\0"), Err(InvalidSearch));
        assert_eq!(check_search("ab\u{1b}"), Err(InvalidSearch));
        assert_eq!(
            check_search(&"a".repeat(MAX_SEARCH + 1)),
            Err(InvalidSearch)
        );
    }
}
