//! Support's decisions and its audit log (rule U2), on every backend: a
//! public entity's structure refused with a reason its creator receives
//! (and which can then be created again); an account deactivated by
//! Support, which no password reset brings back, then reactivated by
//! Support; the audit log filtered by user, structure, event and period, a
//! page at a time, and its CSV export for Support only.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts::{self, suspension};
use app::backend::audit::reading;
use app::backend::entities::structure::{self, StructureStatus};
use app::backend::entities::user::UserStatus;
use app::backend::sessions::{self, Lifetimes};
use app::backend::structures::{self, support};
use app::backend::support::Agent;
use app::domain::audit::{AuditFilters, AuditQuery};
use app::domain::factors::Factor;
use app::domain::login::LoginRefusal;
use app::domain::refusal::Refusal;
use app::domain::support::SupportRefusal;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{PASSWORD, active_user, count_events, last_mail, logged_in_session, refused, siret};
use http_body_util::BodyExt;
use sea_orm::EntityTrait;
use server::directory::load_sample_if_empty;
use tower::ServiceExt;

const SUPPORT: &str = "support@example.fr";
const IP: &str = "192.0.2.7";
/// A commune's SIRET in the directory's sample: its structure waits for
/// Support.
const COMMUNE: &str = "90100005900013";

fn query(filters: AuditFilters) -> AuditQuery {
    AuditQuery::parse(&filters, "").unwrap()
}

#[tokio::test]
async fn a_refused_structure_is_deleted_and_its_creator_told_why() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        load_sample_if_empty(&state.db).await.unwrap();
        let agent = common::support_agent(&state, SUPPORT).await;
        let lea = active_user(&state, "lea@example.fr").await;
        let commune = structures::create(&state, &lea, &siret(COMMUNE), IP)
            .await
            .unwrap();
        assert_eq!(commune.status, StructureStatus::AwaitingSupport);

        let reason = "Le SIRET ne correspond pas à une mairie <script>";
        support::reject(&state, &agent, commune.id, reason, IP)
            .await
            .unwrap();
        assert!(
            structure::Entity::find_by_id(commune.id)
                .one(&state.db)
                .await
                .unwrap()
                .is_none()
        );
        let told = last_mail(&state, "lea@example.fr").await.unwrap();
        assert!(
            told.subject.contains("n’a pas été validée"),
            "{}",
            told.subject
        );
        assert!(told.text_body.contains(reason));
        assert!(
            told.html_body.contains("&lt;script&gt;"),
            "{}",
            told.html_body
        );
        // Twice, or once approved: nothing waits any more.
        let again = support::reject(&state, &agent, commune.id, reason, IP).await;
        assert_eq!(refused(again), Err(Refusal::NotFound));
        assert_eq!(count_events(&state, "structure.rejected").await, 1);
        // Its creator may create it again, and Support finds the refusal in
        // the log by the structure's id kept there.
        let again = structures::create(&state, &lea, &siret(COMMUNE), IP)
            .await
            .unwrap();
        support::approve(&state, &agent, again.id, IP)
            .await
            .unwrap();
        let refused_again = support::reject(&state, &agent, again.id, reason, IP).await;
        assert_eq!(refused(refused_again), Err(Refusal::NotFound));
    })
    .await;
}

#[tokio::test]
async fn an_account_support_deactivates_stays_so_until_support_reactivates_it() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let agent = common::support_agent(&state, SUPPORT).await;
        let marie = active_user(&state, "marie@example.fr").await;
        let session = logged_in_session(&state, marie.id).await;

        suspension::suspend(&state, &agent, marie.id, "Usurpation signalée", IP)
            .await
            .unwrap();
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let now = state.clock.now();
        assert!(
            sessions::resume(&state.db, session.expose(), lifetimes, now)
                .await
                .unwrap()
                .is_none()
        );
        let told = last_mail(&state, "marie@example.fr").await.unwrap();
        assert!(told.text_body.contains("Usurpation signalée"));
        let login = accounts::check_password(&state, "marie@example.fr", PASSWORD, IP).await;
        assert_eq!(
            refused(login),
            Err(Refusal::Login(LoginRefusal::BadCredentials))
        );
        // *Mot de passe oublié ?* sends nothing: only Support lifts it.
        accounts::request_reset(&state, "marie@example.fr", IP)
            .await
            .unwrap();
        let after = last_mail(&state, "marie@example.fr").await.unwrap();
        assert_eq!(after.id, told.id);
        // Twice at once, or twice: once.
        let twice = suspension::suspend(&state, &agent, marie.id, "Encore", IP).await;
        assert_eq!(refused(twice), Err(SupportRefusal::AccountUnchanged.into()));
        // No agent deactivates a Support account.
        let support_user = accounts::find_by_login(&state.db, SUPPORT)
            .await
            .unwrap()
            .unwrap();
        let itself = suspension::suspend(&state, &agent, support_user.id, "Test", IP).await;
        assert_eq!(refused(itself), Err(SupportRefusal::SupportAccount.into()));

        suspension::restore(&state, &agent, marie.id, "Identité vérifiée", IP)
            .await
            .unwrap();
        let back = accounts::find_by_login(&state.db, "marie@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back.status, UserStatus::Active);
        accounts::check_password(&state, "marie@example.fr", PASSWORD, IP)
            .await
            .unwrap();
        let again = suspension::restore(&state, &agent, marie.id, "Encore", IP).await;
        assert_eq!(refused(again), Err(SupportRefusal::AccountUnchanged.into()));
        assert_eq!(
            count_events(&state, "account.deactivated_by_support").await,
            1
        );
        assert_eq!(
            count_events(&state, "account.reactivated_by_support").await,
            1
        );

        // The user's history in the log: Support's acts on her, newest
        // first, with the agent as actor.
        let mine = AuditFilters {
            user: "Marie@Example.fr".into(),
            ..AuditFilters::default()
        };
        let page = reading::page(&state, &agent, &query(mine), 50)
            .await
            .unwrap();
        let by_support: Vec<_> = page
            .lines
            .iter()
            .filter(|l| l.entry.event.ends_with("_by_support"))
            .collect();
        let events: Vec<_> = by_support.iter().map(|l| l.entry.event.as_str()).collect();
        assert_eq!(
            events,
            [
                "account.reactivated_by_support",
                "account.deactivated_by_support"
            ]
        );
        assert_eq!(by_support[0].actor.as_deref(), Some(SUPPORT));
        assert_eq!(by_support[0].user.as_deref(), Some("marie@example.fr"));
        assert!(by_support[1].entry.details.contains("Usurpation signalée"));
    })
    .await;
}

#[tokio::test]
async fn the_log_is_filtered_and_paged_without_gaps() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        load_sample_if_empty(&state.db).await.unwrap();
        let agent = common::support_agent(&state, SUPPORT).await;
        let lea = active_user(&state, "lea@example.fr").await;
        let max = active_user(&state, "max@example.fr").await;
        let lilas = structures::create(&state, &lea, &siret("90100001800019"), IP)
            .await
            .unwrap();
        // Several entries in the same instant: the page's position must
        // still neither skip nor repeat one. (Five: then the account locks.)
        for _ in 0..5 {
            accounts::check_password(&state, "max@example.fr", "Mauvais-1!xyz", IP)
                .await
                .ok();
        }
        let failed = AuditFilters {
            event: "login.failed".into(),
            ..AuditFilters::default()
        };
        let mut seen = Vec::new();
        let mut position = query(failed.clone());
        loop {
            let page = reading::page(&state, &agent, &position, 2).await.unwrap();
            assert!(page.lines.len() <= 2);
            seen.extend(page.lines.iter().map(|l| l.entry.id));
            match page.next {
                Some(next) => position.before = Some(next),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (5, 5));
        assert!(seen.windows(2).all(|w| w[0] > w[1]), "{seen:?}");

        let of_lilas = AuditFilters {
            structure: "90100001800019".into(),
            ..AuditFilters::default()
        };
        let page = reading::page(&state, &agent, &query(of_lilas), 50)
            .await
            .unwrap();
        assert_eq!(page.lines.len(), 1);
        assert_eq!(page.lines[0].entry.event, "structure.created");
        assert_eq!(
            page.lines[0].structure,
            Some(("90100001800019".into(), lilas.name.clone()))
        );
        // A user filter matches what they did and what was done to them;
        // an unknown one matches nothing.
        let of_max = AuditFilters {
            user: "max@example.fr".into(),
            event: "login.failed".into(),
            ..AuditFilters::default()
        };
        let page = reading::page(&state, &agent, &query(of_max), 50)
            .await
            .unwrap();
        assert_eq!(page.lines.len(), 5);
        assert!(
            page.lines
                .iter()
                .all(|l| l.entry.subject_user_id == Some(max.id))
        );
        let nobody = AuditFilters {
            user: "personne@example.fr".into(),
            ..AuditFilters::default()
        };
        assert!(
            reading::page(&state, &agent, &query(nobody), 50)
                .await
                .unwrap()
                .lines
                .is_empty()
        );
        // A period: today has them all, yesterday none.
        let today = state.clock.now().date_naive();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let within = AuditFilters {
            from: day(today),
            to: day(today),
            ..failed.clone()
        };
        assert_eq!(
            reading::page(&state, &agent, &query(within), 50)
                .await
                .unwrap()
                .lines
                .len(),
            5
        );
        let yesterday = today.pred_opt().unwrap();
        let before = AuditFilters {
            from: day(yesterday),
            to: day(yesterday),
            ..failed
        };
        assert!(
            reading::page(&state, &agent, &query(before), 50)
                .await
                .unwrap()
                .lines
                .is_empty()
        );
        let _ = lea;
    })
    .await;
}

async fn export(
    router: &axum::Router,
    cookie: Option<String>,
    query: &str,
) -> (StatusCode, String) {
    let mut request = Request::get(format!("/support/journal.csv?{query}"));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let answer = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = answer.status();
    let body = answer.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_export_is_for_support_only_and_follows_the_filters() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let router = server::router(state.clone(), common::http::options(), false);
        let support_user = active_user(&state, SUPPORT).await;
        let marie = active_user(&state, "marie@example.fr").await;
        let now = state.clock.now();
        let cookie = |token: &str| format!("portal_session={token}");
        let marie_session = logged_in_session(&state, marie.id).await;
        let weak = sessions::create(
            &state.db,
            &sessions::SessionState::logged_in(support_user.id, now, Factor::EmailCode),
            Lifetimes::from_settings(&state.settings),
            now,
        )
        .await
        .unwrap();
        let strong = logged_in_session(&state, support_user.id).await;

        assert_eq!(export(&router, None, "").await.0, StatusCode::UNAUTHORIZED);
        let as_marie = export(&router, Some(cookie(marie_session.expose())), "").await;
        assert_eq!(as_marie.0, StatusCode::FORBIDDEN);
        let weakly = export(&router, Some(cookie(weak.expose())), "").await;
        assert_eq!(weakly.0, StatusCode::FORBIDDEN);
        let wrong = export(&router, Some(cookie(strong.expose())), "from=hier").await;
        assert_eq!(wrong.0, StatusCode::BAD_REQUEST);

        let agent = Agent::check(&state, support_user.clone(), Some(Factor::Totp)).unwrap();
        suspension::suspend(&state, &agent, marie.id, "Fraude", IP)
            .await
            .unwrap();
        let (status, csv) = export(
            &router,
            Some(cookie(strong.expose())),
            "user=Marie%40example.fr&event=account.deactivated_by_support",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2, "{csv}");
        assert!(lines[0].contains("Événement"));
        assert!(lines[1].contains("account.deactivated_by_support"));
        assert!(lines[1].contains("marie@example.fr"));
        assert_eq!(count_events(&state, "support.audit_exported").await, 1);
    })
    .await;
}
