//! Server functions of authorisations (rules H2–H5): *Mes habilitations*
//! (the caller's own profiles on each of their structures), and a member's
//! profiles on one structure, read and set by a manager of it or by the
//! member (who may only lower their own). Who may do what is decided by
//! `backend::authorisations`; the catalogue's labels come in both languages
//! (they are data, rule H1) and the page shows the one it speaks.

use super::attachments::Page;
use crate::domain::attachments::{RequestStatus, Standing};
use crate::domain::authorisations::{AskedLevel, Level};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A label of the catalogue, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub fr: String,
    pub en: String,
}

/// One profile: a domain, an application, a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRow {
    pub domain: Label,
    pub application: Label,
    pub level: Level,
}

/// One structure of *Mes habilitations*, with the caller's profiles there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationRow {
    pub structure_id: i32,
    /// The caller (their own profiles page is `/structures/{structure_id}/
    /// utilisateurs/{user_id}`).
    pub user_id: i32,
    pub identifier: String,
    pub name: String,
    pub standing: Standing,
    /// The services the profiles are narrowed to; empty: the whole
    /// structure.
    pub services: Vec<String>,
    pub profiles: Vec<ProfileRow>,
}

/// A page of *Mes habilitations*: the caller's structures, newest
/// attachment first.
#[server(endpoint = "my-authorisations")]
pub async fn my_authorisations(page: u64) -> Result<Page<AuthorisationRow>, AppError> {
    use super::attachments::PER_PAGE;
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::attachments::mine;
    use crate::backend::authorisations;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = mine::attachments(&state.db, me.user.id, page, PER_PAGE).await?;
    let ids = lines.iter().map(|line| line.membership_id).collect();
    let mut held = authorisations::held_by(&state.db, ids).await?;
    let rows = lines
        .into_iter()
        .map(|line| AuthorisationRow {
            structure_id: line.structure.id,
            user_id: me.user.id,
            identifier: line.structure.identifier,
            name: line.structure.name,
            standing: line.standing,
            services: line
                .services
                .into_iter()
                .map(|s| format!("{} – {}", s.code, s.label))
                .collect(),
            profiles: held
                .remove(&line.membership_id)
                .unwrap_or_default()
                .into_iter()
                .map(|p| ProfileRow {
                    domain: Label {
                        fr: p.domain.label_fr,
                        en: p.domain.label_en,
                    },
                    application: Label {
                        fr: p.application.label_fr,
                        en: p.application.label_en,
                    },
                    level: p.level,
                })
                .collect(),
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One application on a member's profiles page, with the level held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRow {
    pub code: String,
    pub domain: Label,
    pub application: Label,
    /// `None`: no profile on this application.
    pub level: Option<Level>,
}

/// A member's profiles on one structure, every application of the
/// catalogue listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProfilesPage {
    pub structure_name: String,
    pub first_name: String,
    pub last_name: String,
    pub standing: Standing,
    pub rows: Vec<LevelRow>,
}

/// A member's profiles, for a manager of the structure or the member.
#[server(endpoint = "member-profiles")]
pub async fn member_profiles(
    structure_id: i32,
    user_id: i32,
) -> Result<MemberProfilesPage, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::authorisations;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let found =
        authorisations::member_profiles(&state.db, me.user.id, structure_id, user_id).await?;
    Ok(MemberProfilesPage {
        structure_name: found.structure.name,
        first_name: found.member.first_name,
        last_name: found.member.last_name,
        standing: found.standing,
        rows: found
            .lines
            .into_iter()
            .map(|(domain, application, level)| LevelRow {
                code: application.code,
                domain: Label {
                    fr: domain.label_fr,
                    en: domain.label_en,
                },
                application: Label {
                    fr: application.label_fr,
                    en: application.label_en,
                },
                level,
            })
            .collect(),
    })
}

/// What *Soumettre* did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilesSaved {
    pub applied: usize,
    /// Raises of the caller's own profiles, sent to the managers (H4).
    pub requested: usize,
}

/// Sets a member's levels on the structure (rules H4, H5). All or
/// nothing: one refused line changes nothing.
#[server(endpoint = "set-profiles")]
pub async fn set_profiles(
    structure_id: i32,
    user_id: i32,
    #[server(default)] levels: Vec<AskedLevel>,
) -> Result<ProfilesSaved, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::authorisations;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    if levels.len() > 200 {
        return Err(AppError::invalid("levels"));
    }
    let changed = authorisations::change_profiles(
        &state,
        &me.user,
        structure_id,
        user_id,
        &levels,
        &client_ip(),
    )
    .await?;
    Ok(ProfilesSaved {
        applied: changed.applied,
        requested: changed.requested,
    })
}

/// A profile request, as *Demandes à traiter* and *Historique de mes
/// demandes* show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRequestRow {
    pub id: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub structure: String,
    pub identifier: String,
    pub requester: String,
    pub application: Label,
    pub level: Level,
    pub status: RequestStatus,
    /// The structure's primary manager (*Approbateur*, rule S7).
    pub approver: Option<String>,
}

#[cfg(feature = "ssr")]
fn request_rows(
    lines: Vec<crate::backend::authorisations::requests::RequestLine>,
) -> Vec<ProfileRequestRow> {
    lines
        .into_iter()
        .map(|line| ProfileRequestRow {
            id: line.request.id,
            created_at: line.request.created_at,
            structure: line.structure.name,
            identifier: line.structure.identifier,
            requester: format!("{} {}", line.requester.first_name, line.requester.last_name),
            application: Label {
                fr: line.application.label_fr,
                en: line.application.label_en,
            },
            level: line.request.level.into(),
            status: line.request.status.into(),
            approver: line
                .approver
                .map(|u| format!("{} {}", u.first_name, u.last_name)),
        })
        .collect()
}

/// A page of the pending profile requests of the structures the caller
/// manages, oldest first.
#[server(endpoint = "pending-profile-requests")]
pub async fn pending_profile_requests(page: u64) -> Result<Page<ProfileRequestRow>, AppError> {
    use super::attachments::PER_PAGE;
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::authorisations::requests;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = requests::pending_for(&state.db, me.user.id, page, PER_PAGE).await?;
    Ok(Page {
        rows: request_rows(lines),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// A page of the caller's own profile requests, newest first (rule S7).
#[server(endpoint = "my-profile-requests")]
pub async fn my_profile_requests(page: u64) -> Result<Page<ProfileRequestRow>, AppError> {
    use super::attachments::PER_PAGE;
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::authorisations::requests;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = requests::history_of(&state.db, me.user.id, page, PER_PAGE).await?;
    Ok(Page {
        rows: request_rows(lines),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// *Approuver* or *Refuser* a profile request (rules H4, H5).
#[server(endpoint = "decide-profile-request")]
pub async fn decide_profile_request(request_id: i32, approve: bool) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::authorisations::requests;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    requests::decide(&state, &me.user, request_id, approve, &client_ip()).await?;
    Ok(())
}
