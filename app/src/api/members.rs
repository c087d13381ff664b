//! Server functions of a structure's page (rules M2, M3): *Utilisateurs
//! rattachés à la structure*, for its managers only, and the hand-over of
//! the primary manager's role. A member who does not
//! manage it is refused; a user who is not attached learns nothing of it,
//! not even that it exists (rule H6).

use super::attachments::Page;
use crate::domain::attachments::Standing;
use crate::domain::members::{Added, MemberAction, MemberQuery};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A person as the page names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub last_name: String,
    pub first_name: String,
    pub login_email: String,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: i32,
    pub person: Person,
    pub standing: Standing,
    /// *Statut utilisateur*: the account is active (not disabled).
    pub active: bool,
    pub last_login: Option<DateTime<Utc>>,
    pub since: DateTime<Utc>,
    /// May receive the primary manager's role (rule M3): active, attached
    /// to the whole structure, not already primary manager.
    pub may_succeed: bool,
    /// *Statut du rattachement*: suspended by a manager (rule M2).
    pub deactivated: bool,
    /// *Date de réactivation*.
    pub reactivated_at: Option<DateTime<Utc>>,
}

/// The page: the structure, its primary manager, a page of its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub structure_id: i32,
    pub name: String,
    pub identifier: String,
    pub primary_manager: Option<Person>,
    /// The viewer is the primary manager (and may hand the role over).
    pub viewer_primary: bool,
    pub members: Page<MemberRow>,
}

/// A page of *Utilisateurs rattachés à la structure*, sorted and filtered
/// as `listing` says.
#[server(endpoint = "structure-members")]
pub async fn structure_members(
    structure_id: i32,
    page: u64,
    #[server(default)] per_page: u64,
    listing: MemberQuery,
) -> Result<MembersPage, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::entities::user::{self, UserStatus};
    use crate::backend::structures::members;
    use crate::domain::members::check_filter;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let filter = check_filter(&listing.filter).map_err(|_| AppError::invalid("filter"))?;
    let listing = MemberQuery { filter, ..listing };
    let page = page.min(1_000_000);
    // *Lignes par page*: 5 unless one of the other offered sizes is asked.
    let per_page = crate::domain::paging::page_size(per_page);
    let view = members::for_manager(
        &state.db,
        me.user.id,
        structure_id,
        &listing,
        page,
        per_page,
    )
    .await?;
    let person = |u: user::Model| Person {
        last_name: u.last_name,
        first_name: u.first_name,
        login_email: u.login_email,
    };
    let rows = view
        .lines
        .into_iter()
        .map(|line| MemberRow {
            user_id: line.user.id,
            may_succeed: line.user.status == UserStatus::Active
                && !line.narrowed
                && line.membership.deactivated_at.is_none()
                && line.standing != Standing::PrimaryManager,
            deactivated: line.membership.deactivated_at.is_some(),
            reactivated_at: line.membership.reactivated_at,
            active: line.user.status == UserStatus::Active,
            last_login: line.user.last_login_at,
            since: line.membership.created_at,
            standing: line.standing,
            person: person(line.user),
        })
        .collect();
    Ok(MembersPage {
        structure_id,
        name: view.structure.name,
        identifier: view.structure.identifier,
        primary_manager: view.primary_manager.map(person),
        viewer_primary: view.viewer == Standing::PrimaryManager,
        members: Page {
            rows,
            total: view.total,
            page,
            per_page,
        },
    })
}

/// Hands the structure's primary manager role to `user_id` (rule M3).
#[server(endpoint = "transfer-structure")]
pub async fn transfer_structure(structure_id: i32, user_id: i32) -> Result<(), AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::transfer;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(transfer::transfer(&state, &me.user, structure_id, user_id, &client_ip()).await?)
}

/// *Désactiver*, *Réactiver* or *Supprimer* the ticked users (rule M2):
/// how many changed.
#[server(endpoint = "member-action")]
pub async fn act_on_members(
    structure_id: i32,
    #[server(default)] user_ids: Vec<i32>,
    action: MemberAction,
) -> Result<usize, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::members;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    Ok(members::act(
        &state,
        &me.user,
        structure_id,
        &user_ids,
        action,
        &client_ip(),
    )
    .await?)
}

/// *Rattacher un utilisateur* (rule M2): attaches the account of
/// `login_email` at once, or invites the address to create one.
#[server(endpoint = "add-structure-user")]
pub async fn add_structure_user(structure_id: i32, login_email: String) -> Result<Added, AppError> {
    use super::session::{client_ip, language, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::invitations;
    use crate::domain::account::{SignupField, check_email};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let login_email = check_email(&login_email)
        .map_err(|problem| AppError::Fields(vec![(SignupField::LoginEmail, problem)]))?;
    Ok(invitations::add_user(
        &state,
        &me.user,
        structure_id,
        &login_email,
        language(),
        &client_ip(),
    )
    .await?)
}

/// A structure as *Transférer toutes vos structures* lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldStructure {
    pub identifier: String,
    pub name: String,
}

/// The structures the caller is primary manager of (rule M3): what
/// *Transférer toutes vos structures vers un seul gestionnaire* hands over.
#[server(endpoint = "primary-structures")]
pub async fn primary_structures() -> Result<Vec<HeldStructure>, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::structures::transfer;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let held = transfer::held_by(&state.db, me.user.id).await?;
    Ok(held
        .into_iter()
        .map(|s| HeldStructure {
            identifier: s.identifier,
            name: s.name,
        })
        .collect())
}

/// *Transférer toutes vos structures vers un seul gestionnaire* (rule
/// M3): how many structures went to the account of `login_email`.
#[server(endpoint = "transfer-all-structures")]
pub async fn transfer_all_structures(login_email: String) -> Result<usize, AppError> {
    use super::session::{client_ip, logged_in};
    use crate::backend::app_state;
    use crate::backend::structures::transfer;
    use crate::domain::account::{SignupField, check_email};
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let login_email = check_email(&login_email)
        .map_err(|problem| AppError::Fields(vec![(SignupField::LoginEmail, problem)]))?;
    Ok(transfer::transfer_all(&state, &me.user, &login_email, &client_ip()).await?)
}
