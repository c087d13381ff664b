//! Support's ticket desk (rule U2), on every backend: only Support logged in
//! with an app or a key gets in; the queue filters, searches and pages; a
//! reply is kept, e-mailed in the sender's language and moves the ticket;
//! close and reopen follow the domain's moves, and two agents acting at
//! once act once; the unblocking procedure changes a login address only
//! through the link sent to the new one, telling the old one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::accounts::address;
use app::backend::entities::{audit_log, session, user};
use app::backend::entities::{support_ticket, ticket_message};
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::backend::support::Agent;
use app::backend::tickets::{self, desk, unblock};
use app::domain::address_change::AddressChangeRefusal;
use app::domain::factors::Factor;
use app::domain::preferences::Language;
use app::domain::refusal::Refusal;
use app::domain::support::{SupportRefusal, TicketQuery};
use app::domain::tickets::{Situation, SupportAct, TicketRefusal, ValidTicket, ticket_number};
use app::error::AppError;
use axum::http::StatusCode;
use common::http::{form_post, send};
use common::{active_user, count_events, last_mail, logged_in_session, refused, token_in};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const SUPPORT: &str = "support@example.fr";

/// A ticket as a visitor sends it from `ip`, written in `language`.
async fn ticket(
    state: &AppState,
    situation: Situation,
    email: &str,
    ip: &str,
    language: Language,
) -> i32 {
    let valid = ValidTicket {
        situation,
        email: email.into(),
        login_address: (situation == Situation::LoginProblem).then(|| "ancienne@example.fr".into()),
        description: "Je ne reçois plus rien à mon ancienne adresse.".into(),
    };
    let number = tickets::submit(state, &valid, None, language, ip)
        .await
        .unwrap();
    number.trim_start_matches("SUP-").parse().unwrap()
}

fn query(status: &str, situation: &str, search: &str) -> TicketQuery {
    TicketQuery::parse(status, situation, search).unwrap()
}

#[tokio::test]
async fn only_support_with_an_app_or_a_key_reads_the_queue() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let router = server::router(state.clone(), common::http::options(), false);
        let support = active_user(&state, SUPPORT).await;
        let someone = active_user(&state, "marie@example.fr").await;
        let now = state.clock.now();
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let body = "status=&situation=&search=&page=0";
        for (user, factor, expected) in [
            (&support, Factor::EmailCode, StatusCode::FORBIDDEN),
            (&support, Factor::RecoveryCode, StatusCode::FORBIDDEN),
            (&support, Factor::Totp, StatusCode::OK),
            (&support, Factor::SecurityKey, StatusCode::OK),
            (&someone, Factor::Totp, StatusCode::FORBIDDEN),
        ] {
            let session = SessionState::logged_in(user.id, now, factor);
            let token = sessions::create(&state.db, &session, lifetimes, now)
                .await
                .unwrap();
            let cookie = format!("portal_session={}", token.expose());
            let request = form_post("/api/support-tickets", body, Some(&cookie));
            let (status, _, answer) = send(&router, request).await;
            assert_eq!(
                status, expected,
                "{} with {factor:?}: {answer}",
                user.login_email
            );
            if user.id == support.id && status == StatusCode::FORBIDDEN {
                assert_eq!(
                    serde_json::from_str::<AppError>(&answer).unwrap(),
                    AppError::Support(SupportRefusal::StrongLoginRequired)
                );
            }
        }
        let outcome = Agent::check(&state, support, Some(Factor::EmailCode));
        assert_eq!(
            refused(outcome).map(drop),
            Err(Refusal::Support(SupportRefusal::StrongLoginRequired))
        );
    })
    .await;
}

#[tokio::test]
async fn the_queue_filters_by_status_and_situation_searches_and_pages() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let agent = common::support_agent(&state, SUPPORT).await;
        let fr = Language::Fr;
        let marie = ticket(
            &state,
            Situation::LoginProblem,
            "marie@example.fr",
            "192.0.2.1",
            fr,
        )
        .await;
        let paul = ticket(
            &state,
            Situation::Other,
            "paul_50%@example.fr",
            "192.0.2.2",
            fr,
        )
        .await;
        let zoe = ticket(
            &state,
            Situation::ActivationMail,
            "zoe@example.fr",
            "192.0.2.3",
            fr,
        )
        .await;
        desk::set_status(&state, &agent, zoe, SupportAct::Close, "192.0.2.9")
            .await
            .unwrap();
        let ids = |found: (Vec<support_ticket::Model>, u64)| {
            (found.0.iter().map(|t| t.id).collect::<Vec<_>>(), found.1)
        };
        let list = async |q: TicketQuery, page: u64, per_page: u64| {
            ids(desk::queue(&state, &agent, &q, page, per_page)
                .await
                .unwrap())
        };
        // Newest first; two pages of two.
        assert_eq!(list(query("", "", ""), 0, 2).await, (vec![zoe, paul], 3));
        assert_eq!(list(query("", "", ""), 1, 2).await, (vec![marie], 3));
        assert_eq!(
            list(query("open", "", ""), 0, 10).await,
            (vec![paul, marie], 2)
        );
        assert_eq!(list(query("closed", "", ""), 0, 10).await, (vec![zoe], 1));
        let login = Situation::LoginProblem.code();
        assert_eq!(list(query("", login, ""), 0, 10).await, (vec![marie], 1));
        // Part of the answer address or of the login address, or a number.
        assert_eq!(list(query("", "", "PAUL"), 0, 10).await, (vec![paul], 1));
        assert_eq!(
            list(query("", "", "ancienne@"), 0, 10).await,
            (vec![marie], 1)
        );
        let number = ticket_number(zoe);
        assert_eq!(list(query("", "", &number), 0, 10).await, (vec![zoe], 1));
        // The wildcards are taken literally.
        assert_eq!(list(query("", "", "_50%"), 0, 10).await, (vec![paul], 1));
        assert_eq!(list(query("", "", "%"), 0, 10).await, (vec![paul], 1));
        assert_eq!(list(query("", "", "nobody"), 0, 10).await, (vec![], 0));
    })
    .await;
}

#[tokio::test]
async fn a_reply_is_kept_mailed_in_the_senders_language_and_answers_the_ticket() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let agent = common::support_agent(&state, SUPPORT).await;
        let ip = "192.0.2.9";
        let id = ticket(
            &state,
            Situation::Other,
            "john@example.com",
            "192.0.2.1",
            Language::En,
        )
        .await;
        let reply = "Hello,\nyour account is unlocked. <b>Log in</b> again.";
        desk::reply(&state, &agent, id, reply, ip).await.unwrap();
        let file = desk::open(&state, &agent, id).await.unwrap();
        assert_eq!(file.ticket.status, "answered");
        assert_eq!(file.thread.len(), 1);
        assert_eq!(file.thread[0].0.body, reply);
        assert_eq!(file.thread[0].1.as_ref().map(|u| u.id), Some(agent.id()));
        let mail = last_mail(&state, "john@example.com").await.unwrap();
        assert!(
            mail.subject.contains(&ticket_number(id)),
            "{}",
            mail.subject
        );
        assert!(mail.subject.contains("Support’s reply"), "{}", mail.subject);
        assert!(mail.text_body.contains(reply), "{}", mail.text_body);
        assert!(
            mail.html_body.contains("&lt;b&gt;Log in&lt;/b&gt;"),
            "{}",
            mail.html_body
        );
        assert_eq!(count_events(&state, "support.ticket_replied").await, 1);

        // A second reply keeps it answered; a closed ticket takes none.
        desk::reply(&state, &agent, id, "One more thing.", ip)
            .await
            .unwrap();
        desk::set_status(&state, &agent, id, SupportAct::Close, ip)
            .await
            .unwrap();
        assert_eq!(
            refused(desk::reply(&state, &agent, id, "Too late.", ip).await),
            Err(Refusal::Ticket(TicketRefusal::StatusChanged))
        );
        assert_eq!(
            refused(desk::set_status(&state, &agent, id, SupportAct::Close, ip).await),
            Err(Refusal::Ticket(TicketRefusal::StatusChanged))
        );
        let messages = ticket_message::Entity::find()
            .count(&state.db)
            .await
            .unwrap();
        assert_eq!(messages, 2, "a refused reply is not kept");
        desk::set_status(&state, &agent, id, SupportAct::Reopen, ip)
            .await
            .unwrap();
        let file = desk::open(&state, &agent, id).await.unwrap();
        assert_eq!(file.ticket.status, "open");
        assert_eq!(count_events(&state, "support.ticket_closed").await, 1);
        assert_eq!(count_events(&state, "support.ticket_reopened").await, 1);

        // No such ticket.
        let unknown = id + 1000;
        assert_eq!(
            refused(desk::reply(&state, &agent, unknown, "Hello", ip).await),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            refused(desk::set_status(&state, &agent, unknown, SupportAct::Close, ip).await),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            refused(desk::open(&state, &agent, unknown).await).map(drop),
            Err(Refusal::NotFound)
        );
    })
    .await;
}

#[tokio::test]
async fn two_agents_closing_one_ticket_at_once_close_it_once() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let agent = common::support_agent(&state, SUPPORT).await;
        let id = ticket(
            &state,
            Situation::Other,
            "marie@example.fr",
            "192.0.2.1",
            Language::Fr,
        )
        .await;
        let close = || desk::set_status(&state, &agent, id, SupportAct::Close, "192.0.2.9");
        let (first, second) = tokio::join!(close(), close());
        let mut outcomes = vec![refused(first), refused(second)];
        outcomes.sort_by_key(|o| o.is_err());
        assert_eq!(
            outcomes,
            vec![Ok(()), Err(Refusal::Ticket(TicketRefusal::StatusChanged))]
        );
        assert_eq!(count_events(&state, "support.ticket_closed").await, 1);
    })
    .await;
}

#[tokio::test]
async fn support_unblocks_an_account_through_a_link_to_the_new_address() {
    common::on_every_backend(async |backend| {
        let state = common::with_support(backend.state(), SUPPORT);
        let agent = common::support_agent(&state, SUPPORT).await;
        let ip = "192.0.2.9";
        // The account whose login address no longer receives mail.
        let owner = active_user(&state, "ancienne@example.fr").await;
        logged_in_session(&state, owner.id).await;
        let fr = Language::Fr;
        let id = ticket(
            &state,
            Situation::LoginProblem,
            "nouvelle@example.fr",
            "192.0.2.1",
            fr,
        )
        .await;
        let number = ticket_number(id);

        unblock::change_login_address(&state, &agent, id, "nouvelle@example.fr", ip)
            .await
            .unwrap();
        // The current address is told at once, with the ticket's number.
        let notice = last_mail(&state, "ancienne@example.fr").await.unwrap();
        assert!(
            notice.subject.contains("Le support change votre adresse"),
            "{}",
            notice.subject
        );
        assert!(notice.text_body.contains(&number), "{}", notice.text_body);
        // Audited as Support's act, with the number.
        let requested = audit_log::Entity::find()
            .filter(audit_log::Column::Event.eq("account.address_change_requested"))
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(requested.actor_user_id, Some(agent.id()));
        assert!(requested.details.to_string().contains(&number));
        // Nothing changes until the link sent to the new address is used.
        let unchanged = user::Entity::find_by_id(owner.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(unchanged.login_email, "ancienne@example.fr");
        let link = last_mail(&state, "nouvelle@example.fr").await.unwrap();
        address::confirm(&state, &token_in(&link), None, ip)
            .await
            .unwrap();
        let changed = user::Entity::find_by_id(owner.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(changed.login_email, "nouvelle@example.fr");
        let sessions = session::Entity::find()
            .filter(session::Column::UserId.eq(owner.id))
            .count(&state.db)
            .await
            .unwrap();
        assert_eq!(sessions, 0, "every session of the account ends");
        assert_eq!(count_events(&state, "account.address_changed").await, 1);

        // Refused: the account's own address, a ticket naming no account,
        // one whose situation is not about logging in, a closed one.
        let again = ticket(
            &state,
            Situation::LoginProblem,
            "nouvelle@example.fr",
            "192.0.2.2",
            fr,
        )
        .await;
        assert_eq!(
            refused(unblock::change_login_address(&state, &agent, again, "x@example.fr", ip).await),
            Err(Refusal::Ticket(TicketRefusal::NoSuchAccount)),
            "the ticket names the old address, which is no account's now"
        );
        let other = ticket(
            &state,
            Situation::Other,
            "nouvelle@example.fr",
            "192.0.2.3",
            fr,
        )
        .await;
        assert_eq!(
            refused(unblock::change_login_address(&state, &agent, other, "x@example.fr", ip).await),
            Err(Refusal::Ticket(TicketRefusal::NoLoginAddress))
        );
        let marie = active_user(&state, "marie@example.fr").await;
        let valid = ValidTicket {
            situation: Situation::LoginCode,
            email: "marie@example.fr".into(),
            login_address: Some(marie.login_email.clone()),
            description: "Je ne reçois pas mes codes.".into(),
        };
        let code = tickets::submit(&state, &valid, None, fr, "192.0.2.4")
            .await
            .unwrap();
        let code: i32 = code.trim_start_matches("SUP-").parse().unwrap();
        assert_eq!(
            refused(
                unblock::change_login_address(&state, &agent, code, "marie@example.fr", ip).await
            ),
            Err(Refusal::AddressChange(AddressChangeRefusal::SameAddress))
        );
        desk::set_status(&state, &agent, code, SupportAct::Close, ip)
            .await
            .unwrap();
        assert_eq!(
            refused(unblock::change_login_address(&state, &agent, code, "m2@example.fr", ip).await),
            Err(Refusal::Ticket(TicketRefusal::StatusChanged))
        );
    })
    .await;
}
