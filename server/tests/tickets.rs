//! *Nous contacter* → *Envoyer un ticket* (rule U1) over HTTP, on every
//! backend: a visitor's or a user's ticket is stored, audited and
//! acknowledged with its number (and never with the sender's text); the
//! form's checks, the captcha and the limits per client and per address
//! refuse with their reasons and store nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::entities::support_ticket;
use app::backend::tickets::{TICKETS_PER_ADDRESS_PER_DAY, TICKETS_PER_CLIENT_PER_HOUR};
use app::domain::account::FieldProblem;
use app::domain::tickets::{TicketField, TicketRefusal};
use app::error::AppError;
use axum::Router;
use axum::http::StatusCode;
use common::http::{form_post, send, solved_captcha};
use common::{active_user, count_events, last_mail, logged_in_session};
use sea_orm::{EntityTrait, PaginatorTrait};

/// The form as the page posts it.
fn ticket(
    situation: &str,
    email: &str,
    login: &str,
    description: &str,
    captcha: &(String, u64),
) -> String {
    let enc = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    format!(
        "input[situation]={situation}&input[email]={e}&input[email_confirmation]={e}\
         &input[login_address]={l}&input[description]={d}&challenge={c}&nonce={n}",
        e = enc(email),
        l = enc(login),
        d = enc(description),
        c = captcha.0,
        n = captcha.1,
    )
}

async fn post(router: &Router, body: String, cookie: Option<&str>) -> (StatusCode, String) {
    let (status, _, body) = send(router, form_post("/api/send-ticket", body, cookie)).await;
    (status, body)
}

async fn tickets(state: &app::backend::AppState) -> Vec<support_ticket::Model> {
    support_ticket::Entity::find().all(&state.db).await.unwrap()
}

#[tokio::test]
async fn a_visitors_login_problem_is_stored_and_acknowledged_with_its_number() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let router = server::router(state.clone(), common::http::options(), false);
        let captcha = solved_captcha(&router).await;
        let description = "Mon ancienne adresse ne reçoit plus rien. <script>alert(1)</script>";
        let (status, body) = post(
            &router,
            ticket(
                "probleme-connexion",
                "Nouvelle@Example.fr",
                "ancienne@example.fr",
                description,
                &captcha,
            ),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let number: String = serde_json::from_str(&body).unwrap();
        let stored = tickets(&state).await;
        assert_eq!(stored.len(), 1);
        let row = &stored[0];
        assert_eq!(number, format!("SUP-{:06}", row.id));
        assert_eq!(row.situation, "probleme-connexion");
        assert_eq!(row.status, "open");
        assert_eq!(row.reply_email, "nouvelle@example.fr");
        assert_eq!(row.login_address.as_deref(), Some("ancienne@example.fr"));
        assert_eq!(row.description, description);
        assert_eq!(row.user_id, None, "a visitor");

        let mail = last_mail(&state, "nouvelle@example.fr")
            .await
            .expect("an acknowledgement");
        assert!(mail.subject.contains(&number), "{}", mail.subject);
        assert!(
            mail.text_body.contains("Problème de connexion"),
            "{}",
            mail.text_body
        );
        assert!(
            !mail.text_body.contains("alert"),
            "the sender's text is not repeated"
        );
        assert_eq!(count_events(&state, "support.ticket_created").await, 1);

        // A logged-in user's ticket names their account; the captcha is
        // single-use.
        let marie = active_user(&state, "marie@example.fr").await;
        let cookie = format!(
            "portal_session={}",
            logged_in_session(&state, marie.id).await.expose()
        );
        let captcha = solved_captcha(&router).await;
        let body = ticket(
            "autre",
            "marie@example.fr",
            "",
            "Une question sur mes structures.",
            &captcha,
        );
        let (status, _) = post(&router, body.clone(), Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, answer) = post(&router, body, Some(&cookie)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            serde_json::from_str::<AppError>(&answer).unwrap(),
            AppError::CaptchaFailed
        );
        let stored = tickets(&state).await;
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1].user_id, Some(marie.id));
        assert_eq!(stored[1].login_address, None);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_form_names_its_fields_and_stores_nothing() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let router = server::router(state.clone(), common::http::options(), false);
        let captcha = solved_captcha(&router).await;
        let mut body = ticket("probleme-connexion", "a@example.fr", "", "Court", &captcha);
        body = body.replace(
            "input[email_confirmation]=a%40example.fr",
            "input[email_confirmation]=b%40example.fr",
        );
        let (status, answer) = post(&router, body, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(
            serde_json::from_str::<AppError>(&answer).unwrap(),
            AppError::TicketFields(vec![
                (TicketField::EmailConfirmation, FieldProblem::Mismatch),
                (TicketField::LoginAddress, FieldProblem::Required),
                (TicketField::Description, FieldProblem::TooShort),
            ])
        );
        let (status, _) = post(
            &router,
            ticket(
                "inconnue",
                "a@example.fr",
                "",
                "Une vraie question.",
                &captcha,
            ),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            support_ticket::Entity::find()
                .count(&state.db)
                .await
                .unwrap(),
            0
        );
        assert!(last_mail(&state, "a@example.fr").await.is_none());
    })
    .await;
}

#[tokio::test]
async fn tickets_are_limited_per_client_and_per_answer_address() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let router = server::router(state.clone(), common::http::options(), false);
        // One client: the hourly limit, whatever the addresses.
        for n in 0..=TICKETS_PER_CLIENT_PER_HOUR {
            let captcha = solved_captcha(&router).await;
            let address = format!("client{n}@example.fr");
            let (status, answer) = post(
                &router,
                ticket("autre", &address, "", "Une vraie question.", &captcha),
                None,
            )
            .await;
            if n < TICKETS_PER_CLIENT_PER_HOUR {
                assert_eq!(status, StatusCode::OK, "{n}: {answer}");
            } else {
                assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{answer}");
                assert_eq!(
                    serde_json::from_str::<AppError>(&answer).unwrap(),
                    AppError::Ticket(TicketRefusal::TooManyTickets)
                );
            }
        }
        assert_eq!(count_events(&state, "support.ticket_limited").await, 1);
        // An hour later the client may write again; one answer address
        // receives at most its daily count.
        state.clock.advance(3600);
        let mut sent = 0;
        for _ in 0..=TICKETS_PER_ADDRESS_PER_DAY {
            state.clock.advance(3600);
            let captcha = solved_captcha(&router).await;
            let (status, _) = post(
                &router,
                ticket(
                    "autre",
                    "meme@example.fr",
                    "",
                    "Une vraie question.",
                    &captcha,
                ),
                None,
            )
            .await;
            if status == StatusCode::OK {
                sent += 1;
            } else {
                assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
            }
        }
        assert_eq!(sent, TICKETS_PER_ADDRESS_PER_DAY);
    })
    .await;
}
