//! The portal's one vocabulary of expected refusals.
//!
//! A refusal is an expected "no" that the user is told (a wrong password, an
//! expired link, a request already decided), as opposed to a failure of the
//! infrastructure, which is logged and hidden. Each area keeps its own enum
//! beside its rules ([`LoginRefusal`], [`FactorRefusal`],
//! [`StructureRefusal`], [`AttachmentRefusal`], [`LinkFailure`]); this enum
//! gathers them so that a backend service returns one flat `Result` and one
//! module (`api::errors`) turns every refusal into the answer on the wire.
//! A new refusal is a new variant here or in its area, and its translation.

use super::account::LinkFailure;
use super::address_change::AddressChangeRefusal;
use super::attachments::AttachmentRefusal;
use super::authorisations::{ProfileRefusal, TransferRefusal};
use super::factors::FactorRefusal;
use super::login::LoginRefusal;
use super::members::MemberActionRefusal;
use super::my_account::DeactivationRefusal;
use super::password::Criterion;
use super::photo::PhotoProblem;
use super::structures::StructureRefusal;
use super::support::SupportRefusal;
use super::technical::TechnicalRefusal;
use super::tickets::TicketRefusal;
use serde::{Deserialize, Serialize};

/// Every expected refusal of the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The caller may not do this; nothing more is said (rule H6).
    NotAllowed,
    /// No such item among those the caller may see.
    NotFound,
    Login(LoginRefusal),
    /// A one-time link does not work (rule A5).
    Link(LinkFailure),
    /// The new password misses these criteria (rule A4).
    WeakPassword(Vec<Criterion>),
    Factor(FactorRefusal),
    Structure(StructureRefusal),
    Attachment(AttachmentRefusal),
    Profile(ProfileRefusal),
    Transfer(TransferRefusal),
    Member(MemberActionRefusal),
    AddressChange(AddressChangeRefusal),
    Deactivation(DeactivationRefusal),
    /// The profile photo is refused (rule P1).
    Photo(PhotoProblem),
    /// A support ticket is refused (rule U1).
    Ticket(TicketRefusal),
    /// A Support call needs more than the caller's session proves (rule U2).
    Support(SupportRefusal),
    /// A request on a structure's technical user is refused (rules T1–T3).
    Technical(TechnicalRefusal),
}

macro_rules! from_area {
    ($($area:ident => $variant:ident),* $(,)?) => {
        $(impl From<$area> for Refusal {
            fn from(refusal: $area) -> Refusal {
                Refusal::$variant(refusal)
            }
        })*
    };
}

from_area! {
    LoginRefusal => Login,
    LinkFailure => Link,
    FactorRefusal => Factor,
    StructureRefusal => Structure,
    AttachmentRefusal => Attachment,
    ProfileRefusal => Profile,
    TransferRefusal => Transfer,
    MemberActionRefusal => Member,
    AddressChangeRefusal => AddressChange,
    DeactivationRefusal => Deactivation,
    PhotoProblem => Photo,
    TicketRefusal => Ticket,
    SupportRefusal => Support,
    TechnicalRefusal => Technical,
}
