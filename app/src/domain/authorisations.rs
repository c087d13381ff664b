//! Authorisations (*habilitations*, rules H2, H3, H5): the levels of a
//! profile, the profiles a membership starts with, the standing a user's
//! profiles give on a structure, and who may change whose profiles.
//!
//! The catalogue itself (domains, applications, their labels) is data in the
//! database (rule H1); the only application these rules name is
//! *Organisation*, whose *modification* level makes a manager.
//!
//! Decisions, written here because the seeds are silent:
//! - **Defaults** (H3, seed 001 §2.4.1: "by default an attached user is
//!   authorised on every application"): every application at
//!   *modification*, except *Organisation*, at *consultation* for an
//!   attached user and at *modification* for the structure's creator, the
//!   primary manager. Giving *Organisation modification* to every attached
//!   user would make each of them a manager.
//! - **Services** (H2): profiles are held on a membership; a membership
//!   narrowed to services holds the same levels on each of them.
//! - **Changing one's own profiles** (H4): lowering or removing applies at
//!   once; raising is a request a manager decides (`Outcome::Requested`),
//!   unless the user is a manager (who may grant anything, so the request
//!   would only ask themselves).
//! - **The primary manager** keeps *Organisation modification* until the
//!   role is transferred (M3): nobody lowers it, themselves included.

use super::attachments::Standing;
use serde::{Deserialize, Serialize};

/// The application whose *modification* level makes a manager (rule H5).
pub const ORGANISATION: &str = "organisation";

/// The level of a profile (rule H2). Ordered: *modification* includes
/// *consultation*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Sees the application's documents.
    Consultation,
    /// Creates and changes them.
    Modification,
}

/// How a user came to be attached to a structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Created the structure (rule S3): its primary manager.
    Creator,
    /// Joined it through an approved request or a manager's action.
    Attached,
}

/// The level a new membership holds on `application` (rule H3).
pub fn default_level(application: &str, origin: Origin) -> Level {
    match origin {
        Origin::Attached if application == ORGANISATION => Level::Consultation,
        _ => Level::Modification,
    }
}

/// A member's standing on a structure, from their membership (is it the
/// primary manager's?) and their *Organisation* profile (rule H5).
pub fn standing(is_primary_manager: bool, organisation: Option<Level>) -> Standing {
    if is_primary_manager {
        Standing::PrimaryManager
    } else if organisation == Some(Level::Modification) {
        Standing::Manager
    } else {
        Standing::Member
    }
}

/// A change of one profile: the level held and the level asked (`None`:
/// no profile on that application).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileChange<'a> {
    pub application: &'a str,
    pub held: Option<Level>,
    pub asked: Option<Level>,
}

impl ProfileChange<'_> {
    /// Whether the change gives more than is held.
    pub fn raises(&self) -> bool {
        self.asked > self.held
    }
}

/// One line of a change as the form sends it: an application of the
/// catalogue (by code) and the level wanted (`None`: no profile on it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedLevel {
    pub application: String,
    pub level: Option<Level>,
}

/// What becomes of an allowed change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Applied at once.
    Applied,
    /// Kept as a request for a manager of the structure (rule H4).
    Requested,
}

/// Why a change of profiles is refused, as the user is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileRefusal {
    /// Only a manager changes other users' profiles (rule H5).
    NotManager,
    /// The primary manager keeps *Organisation modification* until the role
    /// is transferred (rule M3).
    PrimaryManagerKeepsOrganisation,
}

/// Why handing over the primary manager's role is refused (rule M3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferRefusal {
    /// Only the primary manager hands the role over.
    NotPrimaryManager,
    /// The new primary manager must be an active user attached to the
    /// whole structure (a primary manager manages all of it).
    NotEligible,
    /// The role is already theirs.
    ToSelf,
}

/// Whether the role may go from a user of standing `actor` to a member
/// (`on_self`: the same user) who is `active` and attached to the whole
/// structure (`whole`).
pub fn may_transfer(
    actor: Standing,
    on_self: bool,
    active: bool,
    whole: bool,
) -> Result<(), TransferRefusal> {
    if actor != Standing::PrimaryManager {
        return Err(TransferRefusal::NotPrimaryManager);
    }
    if on_self {
        return Err(TransferRefusal::ToSelf);
    }
    if !(active && whole) {
        return Err(TransferRefusal::NotEligible);
    }
    Ok(())
}

/// Whether a user of standing `actor` may make `change` to the profiles of
/// a user of standing `target` on the same structure (`on_self`: the same
/// user), and what becomes of it.
pub fn judge(
    actor: Standing,
    on_self: bool,
    target: Standing,
    change: ProfileChange<'_>,
) -> Result<Outcome, ProfileRefusal> {
    // Who may act comes first (rule H6).
    if !on_self && !actor.may_manage() {
        return Err(ProfileRefusal::NotManager);
    }
    if change.asked == change.held {
        return Ok(Outcome::Applied);
    }
    if target == Standing::PrimaryManager
        && change.application == ORGANISATION
        && change.asked != Some(Level::Modification)
    {
        return Err(ProfileRefusal::PrimaryManagerKeepsOrganisation);
    }
    if actor.may_manage() || !change.raises() {
        Ok(Outcome::Applied)
    } else {
        Ok(Outcome::Requested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;
    use Standing::*;

    fn change(application: &str, held: Option<Level>, asked: Option<Level>) -> ProfileChange<'_> {
        ProfileChange {
            application,
            held,
            asked,
        }
    }

    #[test]
    fn a_creator_manages_and_an_attached_user_does_not() {
        assert_eq!(default_level(ORGANISATION, Origin::Creator), Modification);
        assert_eq!(default_level(ORGANISATION, Origin::Attached), Consultation);
        for origin in [Origin::Creator, Origin::Attached] {
            assert_eq!(default_level("factures_emises", origin), Modification);
        }
    }

    #[test]
    fn organisation_modification_makes_a_manager() {
        assert_eq!(standing(true, Some(Modification)), PrimaryManager);
        assert_eq!(standing(false, Some(Modification)), Manager);
        assert_eq!(standing(false, Some(Consultation)), Member);
        assert_eq!(standing(false, None), Member);
    }

    #[test]
    fn levels_are_ordered_and_none_is_below_both() {
        assert!(change("x", None, Some(Consultation)).raises());
        assert!(change("x", Some(Consultation), Some(Modification)).raises());
        assert!(!change("x", Some(Modification), Some(Consultation)).raises());
        assert!(!change("x", Some(Consultation), None).raises());
    }

    #[test]
    fn a_member_lowers_at_once_and_asks_to_raise() {
        let lower = change("factures_emises", Some(Modification), Some(Consultation));
        let raise = change("factures_emises", Some(Consultation), Some(Modification));
        let remove = change("factures_emises", Some(Consultation), None);
        assert_eq!(judge(Member, true, Member, lower), Ok(Outcome::Applied));
        assert_eq!(judge(Member, true, Member, remove), Ok(Outcome::Applied));
        assert_eq!(judge(Member, true, Member, raise), Ok(Outcome::Requested));
        let manage = change(ORGANISATION, Some(Consultation), Some(Modification));
        assert_eq!(judge(Member, true, Member, manage), Ok(Outcome::Requested));
    }

    #[test]
    fn only_a_manager_changes_someone_else() {
        let lower = change("engagements", Some(Modification), Some(Consultation));
        assert_eq!(
            judge(Member, false, Member, lower),
            Err(ProfileRefusal::NotManager)
        );
        assert_eq!(
            judge(Stranger, false, Member, lower),
            Err(ProfileRefusal::NotManager)
        );
        assert_eq!(judge(Manager, false, Member, lower), Ok(Outcome::Applied));
        let grant = change(ORGANISATION, Some(Consultation), Some(Modification));
        assert_eq!(judge(Manager, false, Member, grant), Ok(Outcome::Applied));
        assert_eq!(
            judge(PrimaryManager, false, Manager, grant),
            Ok(Outcome::Applied)
        );
    }

    #[test]
    fn the_primary_manager_keeps_organisation_modification() {
        for asked in [Some(Consultation), None] {
            let lower = change(ORGANISATION, Some(Modification), asked);
            for (actor, on_self) in [(PrimaryManager, true), (Manager, false)] {
                assert_eq!(
                    judge(actor, on_self, PrimaryManager, lower),
                    Err(ProfileRefusal::PrimaryManagerKeepsOrganisation)
                );
            }
        }
        // Their other profiles are theirs to lower.
        let other = change("factures_emises", Some(Modification), None);
        assert_eq!(
            judge(PrimaryManager, true, PrimaryManager, other),
            Ok(Outcome::Applied)
        );
    }

    #[test]
    fn only_the_primary_manager_hands_the_role_to_an_active_whole_member() {
        assert_eq!(may_transfer(PrimaryManager, false, true, true), Ok(()));
        for actor in [Manager, Member, Stranger] {
            assert_eq!(
                may_transfer(actor, false, true, true),
                Err(TransferRefusal::NotPrimaryManager)
            );
        }
        assert_eq!(
            may_transfer(PrimaryManager, true, true, true),
            Err(TransferRefusal::ToSelf)
        );
        for (active, whole) in [(false, true), (true, false)] {
            assert_eq!(
                may_transfer(PrimaryManager, false, active, whole),
                Err(TransferRefusal::NotEligible)
            );
        }
    }

    #[test]
    fn asking_for_what_is_held_changes_nothing() {
        let same = change(ORGANISATION, Some(Modification), Some(Modification));
        assert_eq!(judge(Member, true, Member, same), Ok(Outcome::Applied));
        assert_eq!(
            judge(Member, false, PrimaryManager, same),
            Err(ProfileRefusal::NotManager)
        );
    }
}
