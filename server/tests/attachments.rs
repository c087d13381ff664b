//! Attachment requests (rules S5–S8, S10, H5, H6) on every backend: the
//! search, the request and its e-mails, the authorisation matrix of every
//! operation (primary manager, manager, plain member, stranger, Support),
//! the concurrent double approval, the history and the detachment.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::attachments::{self, approvals, mine};
use app::backend::entities::membership;
use app::backend::entities::{service, structure, user};
use app::backend::structures::{self, services, support};
use app::backend::support::Agent;
use app::domain::attachments::{
    AttachmentRefusal, RequestEvent, RequestStatus, Standing, ValidRequest, check_request,
};
use app::domain::factors::Factor;
use app::domain::refusal::Refusal;
use app::domain::structures::{ValidService, check_service};
use common::{active_user, count_events, last_mail, outside_the_eu, refused, siret};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::directory::load_sample_if_empty;

const IP: &str = "192.0.2.1";

/// The cast of the matrix, on the *Atelier des Lilas* structure with two
/// services, *ACHATS* and *VENTES*.
struct Cast {
    state: AppState,
    structure: structure::Model,
    achats: service::Model,
    ventes: service::Model,
    owner: user::Model,
    manager: user::Model,
    member: user::Model,
    stranger: user::Model,
    support: user::Model,
}

async fn cast(backend: &common::TestDb) -> Cast {
    let mut state = backend.state();
    std::sync::Arc::make_mut(&mut state.settings).support.logins =
        vec!["Support@Example.fr".into()];
    load_sample_if_empty(&state.db).await.unwrap();
    let owner = active_user(&state, "lea@example.fr").await;
    let manager = active_user(&state, "max@example.fr").await;
    let member = active_user(&state, "ines@example.fr").await;
    let stranger = active_user(&state, "zoe@example.fr").await;
    let support = active_user(&state, "support@example.fr").await;
    let form = siret("90100001800019");
    let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
    common::attach_manager_and_member(&state, structure.id, &manager, &member).await;
    let achats = services::add(
        &state,
        owner.id,
        structure.id,
        &service("ACHATS", "Service achats"),
    )
    .await
    .unwrap();
    let ventes = services::add(
        &state,
        manager.id,
        structure.id,
        &service("VENTES", "Service ventes"),
    )
    .await
    .unwrap();
    Cast {
        state,
        structure,
        achats,
        ventes,
        owner,
        manager,
        member,
        stranger,
        support,
    }
}

fn service(code: &str, label: &str) -> ValidService {
    check_service(code, label).unwrap()
}

fn asking(services: &[i32]) -> ValidRequest {
    check_request("Comptable du service", !services.is_empty(), services).unwrap()
}

async fn membership_count(state: &AppState, user_id: i32) -> u64 {
    membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .count(&state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_service_level_request_is_mailed_approved_attached_and_left_service_by_service() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        let bob = active_user(state, "bob@example.fr").await;
        let request = attachments::request(
            state,
            &bob,
            c.structure.id,
            &asking(&[c.achats.id, c.ventes.id]),
            IP,
        )
        .await
        .unwrap()
        .request;
        // Both managers are told, nobody else.
        for to in ["lea@example.fr", "max@example.fr"] {
            let mail = last_mail(state, to).await.unwrap();
            assert!(
                mail.subject.contains("ATELIER DES LILAS"),
                "{}",
                mail.subject
            );
            assert!(
                mail.text_body.contains("bob@example.fr")
                    && mail.text_body.contains("Comptable du service")
            );
        }
        let member_mail = last_mail(state, "ines@example.fr").await.unwrap();
        assert!(
            !member_mail.subject.contains("rattachement"),
            "a plain member is not asked: {}",
            member_mail.subject
        );
        // Until approval, Bob is not attached (S6) and cannot ask twice.
        assert_eq!(membership_count(state, bob.id).await, 0);
        let again = attachments::request(state, &bob, c.structure.id, &asking(&[]), IP).await;
        assert_eq!(
            refused(again).map(drop),
            Err(AttachmentRefusal::AlreadyPending.into())
        );

        let (pending, total) = approvals::pending_for(&state.db, c.manager.id, 0, 10)
            .await
            .unwrap();
        assert_eq!(
            (total, pending[0].request.id, pending[0].services.len()),
            (1, request.id, 2)
        );
        let reason = Some("Bienvenue".to_owned());
        let decided = approvals::decide(
            state,
            &c.owner,
            request.id,
            RequestEvent::Approve,
            reason,
            IP,
        )
        .await;
        assert_eq!(
            refused(decided),
            Ok(RequestStatus::Approved),
            "{}",
            backend.name
        );
        let mail = last_mail(state, "bob@example.fr").await.unwrap();
        assert!(
            mail.subject.contains("approuvé") && mail.text_body.contains("Bienvenue"),
            "{}",
            mail.text_body
        );

        let (history, _) = mine::history(&state.db, bob.id, 0, 10).await.unwrap();
        assert_eq!(
            history[0].request.status,
            app::backend::entities::attachment_request::Status::Approved
        );
        assert_eq!(history[0].approver.as_ref().map(|u| u.id), Some(c.owner.id));
        let (attached, _) = mine::attachments(&state.db, bob.id, 0, 10).await.unwrap();
        let codes: Vec<_> = attached[0]
            .services
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(
            (attached[0].standing, codes),
            (Standing::Member, vec!["ACHATS", "VENTES"])
        );

        // Leaving one service keeps the other; leaving the last leaves.
        let one = mine::detach(state, &bob, c.structure.id, &[c.achats.id], IP).await;
        assert_eq!(refused(one), Ok(mine::Detached::Services));
        let (attached, _) = mine::attachments(&state.db, bob.id, 0, 10).await.unwrap();
        assert_eq!(
            attached[0]
                .services
                .iter()
                .map(|s| s.id)
                .collect::<Vec<_>>(),
            vec![c.ventes.id]
        );
        let foreign = mine::detach(state, &bob, c.structure.id, &[c.achats.id], IP).await;
        assert_eq!(
            refused(foreign),
            Err(AttachmentRefusal::ServiceUnknown.into())
        );
        let last = mine::detach(state, &bob, c.structure.id, &[c.ventes.id], IP).await;
        assert_eq!(refused(last), Ok(mine::Detached::Structure));
        assert_eq!(membership_count(state, bob.id).await, 0);
        assert_eq!(count_events(state, "attachment.requested").await, 1);
        assert_eq!(count_events(state, "attachment.approved").await, 1);
        assert_eq!(count_events(state, "attachment.detached").await, 2);
    })
    .await;
}

#[tokio::test]
async fn only_the_structures_managers_see_and_decide_its_requests() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        let request = attachments::request(state, &c.stranger, c.structure.id, &asking(&[]), IP)
            .await
            .unwrap()
            .request;
        for (who, sees) in [
            (&c.owner, 1),
            (&c.manager, 1),
            (&c.member, 0),
            (&c.stranger, 0),
            (&c.support, 0),
        ] {
            let (_, total) = approvals::pending_for(&state.db, who.id, 0, 10)
                .await
                .unwrap();
            assert_eq!(total, sees, "{} sees {total}", who.login_email);
        }
        // A member is told no; who is not attached learns nothing (rule H6).
        for (who, denial) in [
            (&c.member, Refusal::NotAllowed),
            (&c.stranger, Refusal::NotFound),
            (&c.support, Refusal::NotFound),
        ] {
            for event in [RequestEvent::Approve, RequestEvent::Reject] {
                let denied = approvals::decide(state, who, request.id, event, None, IP).await;
                assert_eq!(
                    refused(denied),
                    Err(denial.clone()),
                    "{} {event:?}",
                    who.login_email
                );
            }
        }
        // Nobody but its author cancels a request.
        let cancelled = mine::cancel(state, &c.owner, request.id, IP).await;
        assert_eq!(refused(cancelled), Err(Refusal::NotFound));
        let missing =
            approvals::decide(state, &c.owner, 999_999, RequestEvent::Approve, None, IP).await;
        assert_eq!(refused(missing), Err(Refusal::NotFound));

        // A manager (not primary) rejects; the decision is final.
        let rejected = approvals::decide(
            state,
            &c.manager,
            request.id,
            RequestEvent::Reject,
            None,
            IP,
        )
        .await;
        assert_eq!(refused(rejected), Ok(RequestStatus::Rejected));
        assert!(
            last_mail(state, "zoe@example.fr")
                .await
                .unwrap()
                .subject
                .contains("refusé")
        );
        let late =
            approvals::decide(state, &c.owner, request.id, RequestEvent::Approve, None, IP).await;
        assert_eq!(
            refused(late),
            Err(AttachmentRefusal::Closed(RequestStatus::Rejected).into())
        );
        assert_eq!(membership_count(state, c.stranger.id).await, 0);

        // The author cancels a new pending request; nothing else changes.
        let second = attachments::request(state, &c.stranger, c.structure.id, &asking(&[]), IP)
            .await
            .unwrap()
            .request;
        assert_eq!(
            refused(mine::cancel(state, &c.stranger, second.id, IP).await),
            Ok(())
        );
        let (history, total) = mine::history(&state.db, c.stranger.id, 0, 10)
            .await
            .unwrap();
        assert_eq!(total, 2);
        assert_eq!(
            RequestStatus::from(history[0].request.status),
            RequestStatus::Cancelled
        );
    })
    .await;
}

#[tokio::test]
async fn requests_are_refused_when_attached_pending_unknown_or_awaiting_support() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        for who in [&c.owner, &c.manager, &c.member] {
            let denied = attachments::request(state, who, c.structure.id, &asking(&[]), IP).await;
            assert_eq!(
                refused(denied).map(drop),
                Err(AttachmentRefusal::AlreadyAttached.into()),
                "{}",
                who.login_email
            );
        }
        let missing = attachments::request(state, &c.stranger, 999_999, &asking(&[]), IP).await;
        assert_eq!(refused(missing).map(drop), Err(Refusal::NotFound));
        // A service of another structure, or an inactive one, is refused.
        let form = siret("90100002600012");
        let other = structures::create(state, &c.stranger, &form, IP)
            .await
            .unwrap();
        let elsewhere = services::add(
            state,
            c.stranger.id,
            other.id,
            &service("AILLEURS", "Ailleurs"),
        )
        .await
        .unwrap();
        let bob = active_user(state, "bob@example.fr").await;
        let wrong =
            attachments::request(state, &bob, c.structure.id, &asking(&[elsewhere.id]), IP).await;
        assert_eq!(
            refused(wrong).map(drop),
            Err(AttachmentRefusal::ServiceUnknown.into())
        );
        services::set_active(state, c.owner.id, c.structure.id, c.ventes.id, false)
            .await
            .unwrap();
        let inactive =
            attachments::request(state, &bob, c.structure.id, &asking(&[c.ventes.id]), IP).await;
        assert_eq!(
            refused(inactive).map(drop),
            Err(AttachmentRefusal::ServiceUnknown.into())
        );
        // A public entity's structure cannot be joined before Support approves.
        let commune_form = siret("90100005900013");
        let commune = structures::create(state, &c.stranger, &commune_form, IP)
            .await
            .unwrap();
        let early = attachments::request(state, &bob, commune.id, &asking(&[]), IP).await;
        assert_eq!(
            refused(early).map(drop),
            Err(AttachmentRefusal::AwaitingSupport.into())
        );
        assert_eq!(count_events(state, "attachment.requested").await, 0);
    })
    .await;
}

#[tokio::test]
async fn two_managers_approving_at_once_attach_the_requester_once() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        for round in 0..3 {
            let asker = active_user(state, &format!("bob{round}@example.fr")).await;
            let request =
                attachments::request(state, &asker, c.structure.id, &asking(&[c.achats.id]), IP)
                    .await
                    .unwrap()
                    .request;
            let (a, b) = tokio::join!(
                approvals::decide(state, &c.owner, request.id, RequestEvent::Approve, None, IP),
                approvals::decide(
                    state,
                    &c.manager,
                    request.id,
                    RequestEvent::Approve,
                    None,
                    IP
                ),
            );
            let outcomes = [refused(a), refused(b)];
            let approved = outcomes
                .iter()
                .filter(|o| **o == Ok(RequestStatus::Approved))
                .count();
            assert_eq!(approved, 1, "{}: {outcomes:?}", backend.name);
            let closed = AttachmentRefusal::Closed(RequestStatus::Approved);
            assert!(outcomes.contains(&Err(closed.into())), "{outcomes:?}");
            assert_eq!(membership_count(state, asker.id).await, 1);
            let (attached, _) = mine::attachments(&state.db, asker.id, 0, 10).await.unwrap();
            assert_eq!(attached[0].services.len(), 1);
        }
        assert_eq!(count_events(state, "attachment.approved").await, 3);
    })
    .await;
}

#[tokio::test]
async fn a_whole_structure_request_widens_a_service_level_attachment_and_the_primary_manager_stays()
{
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        let bob = active_user(state, "bob@example.fr").await;
        let first = attachments::request(state, &bob, c.structure.id, &asking(&[c.achats.id]), IP)
            .await
            .unwrap()
            .request;
        approvals::decide(state, &c.owner, first.id, RequestEvent::Approve, None, IP)
            .await
            .unwrap();
        let same =
            attachments::request(state, &bob, c.structure.id, &asking(&[c.achats.id]), IP).await;
        assert_eq!(
            refused(same).map(drop),
            Err(AttachmentRefusal::AlreadyAttached.into())
        );
        let whole = attachments::request(state, &bob, c.structure.id, &asking(&[]), IP)
            .await
            .unwrap()
            .request;
        approvals::decide(state, &c.manager, whole.id, RequestEvent::Approve, None, IP)
            .await
            .unwrap();
        let (attached, _) = mine::attachments(&state.db, bob.id, 0, 10).await.unwrap();
        assert!(attached[0].services.is_empty(), "now the whole structure");
        let narrowing = mine::detach(state, &bob, c.structure.id, &[c.achats.id], IP).await;
        assert_eq!(
            refused(narrowing),
            Err(AttachmentRefusal::NotServiceLevel.into())
        );

        // The primary manager must hand the role over first; others may go.
        let stay = mine::detach(state, &c.owner, c.structure.id, &[], IP).await;
        assert_eq!(refused(stay), Err(AttachmentRefusal::PrimaryManager.into()));
        assert_eq!(
            refused(mine::detach(state, &c.manager, c.structure.id, &[], IP).await),
            Ok(mine::Detached::Structure)
        );
        assert_eq!(
            refused(mine::detach(state, &c.member, c.structure.id, &[], IP).await),
            Ok(mine::Detached::Structure)
        );
        let nothing = mine::detach(state, &c.stranger, c.structure.id, &[], IP).await;
        assert_eq!(refused(nothing), Err(Refusal::NotFound));
        assert_eq!(membership_count(state, c.owner.id).await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_search_finds_active_structures_by_name_or_identifier_prefix_page_by_page() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        for i in 0..12 {
            let form = outside_the_eu(&format!("US-{i:02}"), &format!("Crème brûlée {i:02}"));
            structures::create(state, &c.stranger, &form, IP)
                .await
                .unwrap();
        }
        let first = attachments::search(&state.db, "creme BRU", 0, 10)
            .await
            .unwrap();
        assert_eq!((first.rows.len(), first.total, first.more), (10, 12, false));
        assert_eq!(first.rows[0].name, "Crème brûlée 00");
        let second = attachments::search(&state.db, "crème", 1, 10)
            .await
            .unwrap()
            .rows;
        assert_eq!(
            second.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["Crème brûlée 10", "Crème brûlée 11"]
        );
        let by_id = attachments::search(&state.db, "9010000180", 0, 10)
            .await
            .unwrap();
        assert_eq!((by_id.rows[0].id, by_id.total), (c.structure.id, 1));
        let by_name = attachments::search(&state.db, "atelier des", 0, 10)
            .await
            .unwrap();
        assert_eq!(by_name.rows[0].id, c.structure.id);
        // Identifier matches come first, then names; a page may hold both.
        let mixed = attachments::search(&state.db, "us", 0, 10).await.unwrap();
        assert_eq!(mixed.rows[0].identifier, "US-00");
        assert_eq!(
            attachments::search(&state.db, "zzz", 0, 10)
                .await
                .unwrap()
                .total,
            0
        );
        // Inside a name is not a prefix; a waiting structure is not offered.
        assert_eq!(
            attachments::search(&state.db, "brûlée", 0, 10)
                .await
                .unwrap()
                .total,
            0
        );
        let commune_form = siret("90100005900013");
        let commune = structures::create(state, &c.stranger, &commune_form, IP)
            .await
            .unwrap();
        assert_eq!(
            attachments::search(&state.db, &commune.name, 0, 10)
                .await
                .unwrap()
                .total,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn only_support_lists_and_approves_public_entities_structures() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        let form = siret("90100005900013");
        let commune = structures::create(state, &c.stranger, &form, IP)
            .await
            .unwrap();
        for who in [&c.owner, &c.manager, &c.member, &c.stranger] {
            let agent = Agent::check(state, who.clone(), Some(Factor::Totp));
            assert_eq!(
                refused(agent).map(drop),
                Err(Refusal::NotAllowed),
                "{}",
                who.login_email
            );
        }
        let agent = Agent::check(state, c.support.clone(), Some(Factor::Totp)).unwrap();
        let (waiting, total) = support::awaiting(state, &agent, 0, 10).await.unwrap();
        assert_eq!((total, waiting[0].structure.id), (1, commune.id));
        assert_eq!(
            refused(support::approve(state, &agent, commune.id, IP).await),
            Ok(())
        );
        assert!(
            last_mail(state, "zoe@example.fr")
                .await
                .unwrap()
                .subject
                .contains("validée")
        );
        assert_eq!(
            refused(support::approve(state, &agent, commune.id, IP).await),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            refused(support::approve(state, &agent, c.structure.id, IP).await),
            Err(Refusal::NotFound)
        );
        let found = attachments::search(&state.db, &commune.name, 0, 10)
            .await
            .unwrap();
        assert_eq!(found.total, 1, "an approved structure can be joined");
        assert_eq!(count_events(state, "structure.approved").await, 1);
    })
    .await;
}

#[tokio::test]
async fn services_matrix_managers_change_members_read_strangers_and_support_are_refused() {
    common::on_every_backend(async |backend| {
        let c = cast(backend).await;
        let state = &c.state;
        for who in [&c.owner, &c.manager, &c.member] {
            assert_eq!(
                services::list(state, who.id, c.structure.id)
                    .await
                    .unwrap()
                    .services
                    .len(),
                2
            );
        }
        for who in [&c.stranger, &c.support] {
            let listed = services::list(state, who.id, c.structure.id).await;
            assert_eq!(
                refused(listed).map(drop),
                Err(Refusal::NotFound),
                "{}",
                who.login_email
            );
        }
        for (i, who) in [&c.owner, &c.manager].into_iter().enumerate() {
            services::add(
                state,
                who.id,
                c.structure.id,
                &service(&format!("NEW{i}"), "Nouveau"),
            )
            .await
            .unwrap();
            services::set_active(state, who.id, c.structure.id, c.achats.id, i == 0)
                .await
                .unwrap();
        }
        for (who, denial) in [
            (&c.member, Refusal::NotAllowed),
            (&c.stranger, Refusal::NotFound),
            (&c.support, Refusal::NotFound),
        ] {
            let added = services::add(state, who.id, c.structure.id, &service("NOPE", "Non")).await;
            assert_eq!(
                refused(added).map(drop),
                Err(denial.clone()),
                "{}",
                who.login_email
            );
            let toggled =
                services::set_active(state, who.id, c.structure.id, c.achats.id, true).await;
            assert_eq!(refused(toggled), Err(denial));
        }
    })
    .await;
}
