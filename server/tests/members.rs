//! *Utilisateurs rattachés à la structure* (rules M2, H5, H6) on every
//! backend: only managers see it; the database filters (case and accents
//! ignored, wildcards literal), sorts (never logged in first, on SQLite as
//! on PostgreSQL) and paginates; the primary manager is named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::accounts;
use app::backend::authorisations;
use app::backend::entities::{membership, user};
use app::backend::structures::{self, members};
use app::domain::account::{SignupInput, validate_signup};
use app::domain::attachments::Standing;
use app::domain::authorisations::{Level, ORGANISATION, Origin};
use app::domain::members::{MemberQuery, MemberSort};
use app::domain::preferences::Language;
use app::domain::refusal::Refusal;
use chrono::Duration;
use common::{outside_the_eu, refused};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

const IP: &str = "192.0.2.1";

/// Signs up `first last` at `email` (their account stays pending: the
/// list does not care).
async fn person(state: &AppState, email: &str, last: &str, first: &str) -> user::Model {
    let form = validate_signup(&SignupInput {
        login_email: email.into(),
        login_email_confirmation: email.into(),
        last_name: last.into(),
        first_name: first.into(),
        phone: String::new(),
        contact_email: String::new(),
    })
    .unwrap();
    accounts::sign_up(state, &form, Language::Fr).await.unwrap();
    accounts::find_by_login(&state.db, email)
        .await
        .unwrap()
        .unwrap()
}

fn listing(filter: &str, sort: MemberSort, descending: bool) -> MemberQuery {
    MemberQuery {
        filter: filter.into(),
        sort,
        descending,
    }
}

fn last_names(view: &members::MembersView) -> Vec<&str> {
    view.lines
        .iter()
        .map(|l| l.user.last_name.as_str())
        .collect()
}

#[tokio::test]
async fn managers_see_a_filtered_sorted_page_and_nobody_else_does() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = person(&state, "lea@example.fr", "Martin", "Léa").await;
        let structure = structures::create(&state, &owner, &outside_the_eu("M2-1", "Acme"), IP)
            .await
            .unwrap();
        let now = state.clock.now();
        let mut joined = Vec::new();
        for (email, last, first) in [
            ("elodie@example.fr", "Durand", "Élodie"),
            ("bruno@example.fr", "Zola", "Bruno"),
            ("cent@example.fr", "Dupont", "100%_sûr"),
            ("max@example.fr", "Abel", "Max"),
        ] {
            let user = person(&state, email, last, first).await;
            authorisations::attach(&state.db, structure.id, user.id, Origin::Attached, now)
                .await
                .unwrap();
            joined.push(user);
        }
        let stranger = person(&state, "zoe@example.fr", "Zed", "Zoé").await;
        // Bruno logged in yesterday, Max an hour ago; the others never.
        for (user, ago) in [
            (&joined[1], Duration::days(1)),
            (&joined[3], Duration::hours(1)),
        ] {
            let mut row = user.clone().into_active_model();
            row.last_login_at = Set(Some(now - ago));
            row.update(&state.db).await.unwrap();
        }
        let page = async |viewer: i32, query: &MemberQuery, page: u64| {
            members::for_manager(&state.db, viewer, structure.id, query, page, 2).await
        };

        // The primary manager: everyone, by last name, two a page.
        let everyone = listing("", MemberSort::LastName, false);
        let first = page(owner.id, &everyone, 0).await.unwrap();
        assert_eq!(first.total, 5);
        assert_eq!(last_names(&first), ["Abel", "Dupont"]);
        assert_eq!(first.primary_manager.map(|u| u.id), Some(owner.id));
        let last = page(owner.id, &everyone, 2).await.unwrap();
        assert_eq!(last_names(&last), ["Zola"]);
        let standings: Vec<Standing> = first.lines.iter().map(|l| l.standing).collect();
        assert_eq!(standings, [Standing::Member, Standing::Member]);

        // Accents and case ignored; `%` and `_` are letters, not wildcards.
        let elodie = page(owner.id, &listing("ELODIE", MemberSort::LastName, false), 0).await;
        assert_eq!(last_names(&elodie.unwrap()), ["Durand"]);
        let literal = page(owner.id, &listing("0%_s", MemberSort::LastName, false), 0).await;
        assert_eq!(last_names(&literal.unwrap()), ["Dupont"]);
        let no_wildcard = page(owner.id, &listing("%", MemberSort::LastName, false), 0).await;
        assert_eq!(no_wildcard.unwrap().total, 1);
        let by_address = page(owner.id, &listing("bruno@", MemberSort::LastName, false), 0).await;
        assert_eq!(last_names(&by_address.unwrap()), ["Zola"]);

        // Sorted the other way, and by last login: never logged in first.
        let backwards = page(owner.id, &listing("", MemberSort::LastName, true), 0).await;
        assert_eq!(last_names(&backwards.unwrap()), ["Zola", "Martin"]);
        let logins = listing("", MemberSort::LastLogin, true);
        let recent = page(owner.id, &logins, 0).await.unwrap();
        assert_eq!(last_names(&recent), ["Abel", "Zola"]);
        let oldest = page(owner.id, &logins.sorted_by(MemberSort::LastLogin), 0).await;
        assert_eq!(last_names(&oldest.unwrap()), ["Martin", "Durand"]);
        let latest = page(owner.id, &logins.sorted_by(MemberSort::LastLogin), 2).await;
        assert_eq!(last_names(&latest.unwrap()), ["Abel"]);

        // A member is refused; a stranger learns nothing of the structure.
        let member = joined[0].id;
        assert_eq!(
            refused(page(member, &everyone, 0).await).map(|_| ()),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            refused(page(stranger.id, &everyone, 0).await).map(|_| ()),
            Err(Refusal::NotFound)
        );
        // Organisation modification opens the page (rule H5).
        let theirs = membership::Entity::find()
            .filter(membership::Column::UserId.eq(member))
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        let level = Some(Level::Modification);
        authorisations::set_level(&state.db, theirs.id, ORGANISATION, level, now)
            .await
            .unwrap();
        assert_eq!(page(member, &everyone, 0).await.unwrap().total, 5);
    })
    .await;
}

#[tokio::test]
async fn the_csv_export_of_a_structures_users_is_for_its_managers_only() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use common::http::send;
    use common::{active_user, logged_in_session};

    let (router, state, _db) = common::http::app(false).await;
    let owner = active_user(&state, "lea@example.fr").await;
    let member = active_user(&state, "max@example.fr").await;
    let stranger = active_user(&state, "zoe@example.fr").await;
    let structure = structures::create(&state, &owner, &outside_the_eu("M2-CSV", "Acme"), IP)
        .await
        .unwrap();
    let now = state.clock.now();
    authorisations::attach(&state.db, structure.id, member.id, Origin::Attached, now)
        .await
        .unwrap();
    let path = format!("/structures/{}/utilisateurs.csv", structure.id);
    let export = async |user_id: Option<i32>, language: &str| {
        let mut cookie = format!("i18n_pref_locale={language}");
        if let Some(id) = user_id {
            let token = logged_in_session(&state, id).await;
            cookie.push_str(&format!("; portal_session={}", token.expose()));
        }
        let request = Request::get(&path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        send(&router, request).await
    };

    let (status, headers, body) = export(Some(owner.id), "fr").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(body.starts_with('\u{feff}'));
    let lines: Vec<Vec<&str>> = body[3..]
        .lines()
        .map(|line| line.split(';').collect())
        .collect();
    assert_eq!(
        lines[0][..4],
        ["Nom", "Prénom", "Adresse de connexion", "Rôle"]
    );
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1][2..4], ["lea@example.fr", "Gestionnaire principal"]);
    assert_eq!(lines[2][2..4], ["max@example.fr", "Rattaché"]);
    let (_, _, english) = export(Some(owner.id), "en").await;
    assert!(english.contains("Login address") && english.contains("Attached"));

    assert_eq!(export(Some(member.id), "fr").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        export(Some(stranger.id), "fr").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(export(None, "fr").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_primary_manager_hands_the_role_to_an_active_member_once() {
    use app::backend::structures::transfer::transfer;
    use app::domain::authorisations::TransferRefusal;
    use common::{active_user, count_events, last_mail};

    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let max = active_user(&state, "max@example.fr").await;
        let ines = active_user(&state, "ines@example.fr").await;
        let pending = person(&state, "paul@example.fr", "Pending", "Paul").await;
        let stranger = active_user(&state, "zoe@example.fr").await;
        let structure = structures::create(&state, &owner, &outside_the_eu("M3-1", "Acme"), IP)
            .await
            .unwrap();
        let now = state.clock.now();
        for user in [&max, &ines, &pending] {
            authorisations::attach(&state.db, structure.id, user.id, Origin::Attached, now)
                .await
                .unwrap();
        }
        let standing_of = async |user: i32| {
            authorisations::standing(&state.db, user, structure.id)
                .await
                .unwrap()
        };

        // Refused: to oneself, to a stranger, to an inactive account, by a
        // member, by someone not attached.
        let to = async |actor: &user::Model, successor: i32| {
            transfer(&state, actor, structure.id, successor, IP).await
        };
        assert_eq!(
            refused(to(&owner, owner.id).await),
            Err(Refusal::Transfer(TransferRefusal::ToSelf))
        );
        for successor in [stranger.id, pending.id] {
            assert_eq!(
                refused(to(&owner, successor).await),
                Err(Refusal::Transfer(TransferRefusal::NotEligible))
            );
        }
        assert_eq!(
            refused(to(&max, ines.id).await),
            Err(Refusal::Transfer(TransferRefusal::NotPrimaryManager))
        );
        assert_eq!(refused(to(&stranger, max.id).await), Err(Refusal::NotFound));

        // Two hand-overs at once: one wins, the other finds the role gone.
        let (first, second) = tokio::join!(to(&owner, max.id), to(&owner, ines.id));
        assert_eq!(
            u8::from(first.is_ok()) + u8::from(second.is_ok()),
            1,
            "{first:?} {second:?}"
        );
        let successor = if first.is_ok() { &max } else { &ines };
        assert_eq!(standing_of(successor.id).await, Standing::PrimaryManager);
        assert_eq!(standing_of(owner.id).await, Standing::Manager);
        assert!(standing_of(owner.id).await.may_detach());
        let view = members::for_manager(
            &state.db,
            owner.id,
            structure.id,
            &MemberQuery::default(),
            0,
            10,
        )
        .await
        .unwrap();
        assert_eq!(view.primary_manager.map(|u| u.id), Some(successor.id));
        assert_eq!(count_events(&state, "structure.transferred").await, 1);
        let told = last_mail(&state, &successor.contact_email).await.unwrap();
        assert!(
            told.subject.contains("gestionnaire principal de Acme"),
            "{}",
            told.subject
        );
        let former = last_mail(&state, &owner.contact_email).await.unwrap();
        assert!(
            former
                .text_body
                .contains("pouvez désormais vous en détacher")
        );
    })
    .await;
}

#[tokio::test]
async fn managers_suspend_restore_and_remove_access_never_the_primary_managers() {
    use app::domain::members::{MemberAction, MemberActionRefusal};
    use common::{active_user, count_events};

    common::on_every_backend(async |backend| {
        let state = backend.state();
        let owner = active_user(&state, "lea@example.fr").await;
        let max = active_user(&state, "max@example.fr").await;
        let ines = active_user(&state, "ines@example.fr").await;
        let zoe = active_user(&state, "zoe@example.fr").await;
        let structure = structures::create(&state, &owner, &outside_the_eu("M2-ACT", "Acme"), IP)
            .await
            .unwrap();
        common::attach_manager_and_member(&state, structure.id, &max, &ines).await;
        let act = async |actor: &user::Model, users: &[i32], action: MemberAction| {
            members::act(&state, actor, structure.id, users, action, IP).await
        };
        let standing_of = async |user: i32| {
            authorisations::standing(&state.db, user, structure.id)
                .await
                .unwrap()
        };

        // Refused, changing nothing: the primary manager (even beside
        // another user), oneself, nobody, an unknown user, a member, a
        // stranger.
        let both = [ines.id, owner.id];
        assert_eq!(
            refused(act(&max, &both, MemberAction::Deactivate).await),
            Err(Refusal::Member(MemberActionRefusal::PrimaryManager))
        );
        assert_eq!(standing_of(ines.id).await, Standing::Member);
        assert_eq!(
            refused(act(&max, &[max.id], MemberAction::Delete).await),
            Err(Refusal::Member(MemberActionRefusal::Yourself))
        );
        assert_eq!(
            refused(act(&max, &[], MemberAction::Delete).await),
            Err(Refusal::Member(MemberActionRefusal::Selection))
        );
        assert_eq!(
            refused(act(&max, &[zoe.id], MemberAction::Delete).await),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            refused(act(&ines, &[max.id], MemberAction::Deactivate).await),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            refused(act(&zoe, &[ines.id], MemberAction::Deactivate).await),
            Err(Refusal::NotFound)
        );

        // Suspended: no standing, no management; twice counts once.
        assert_eq!(
            act(&max, &[ines.id], MemberAction::Deactivate)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            act(&max, &[ines.id], MemberAction::Deactivate)
                .await
                .unwrap(),
            0
        );
        assert_eq!(standing_of(ines.id).await, Standing::Stranger);
        assert_eq!(
            act(&owner, &[max.id], MemberAction::Deactivate)
                .await
                .unwrap(),
            1
        );
        assert!(
            authorisations::managed_structures(&state.db, max.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            refused(act(&max, &[ines.id], MemberAction::Reactivate).await),
            Err(Refusal::NotFound)
        );
        let view = members::for_manager(
            &state.db,
            owner.id,
            structure.id,
            &MemberQuery::default(),
            0,
            10,
        )
        .await
        .unwrap();
        assert!(
            view.lines
                .iter()
                .filter(|l| l.user.id != owner.id)
                .all(|l| l.membership.deactivated_at.is_some())
        );

        // Restored, with the date; then removed with their profiles.
        assert_eq!(
            act(&owner, &[ines.id, max.id], MemberAction::Reactivate)
                .await
                .unwrap(),
            2
        );
        assert_eq!(standing_of(ines.id).await, Standing::Member);
        assert_eq!(standing_of(max.id).await, Standing::Manager);
        assert_eq!(
            act(&max, &[ines.id], MemberAction::Delete).await.unwrap(),
            1
        );
        assert_eq!(standing_of(ines.id).await, Standing::Stranger);
        assert_eq!(count_events(&state, "member.deleted").await, 1);
        assert_eq!(count_events(&state, "member.deactivated").await, 2);
        assert_eq!(count_events(&state, "member.reactivated").await, 2);
    })
    .await;
}
