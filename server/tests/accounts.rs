//! The account lifecycle services (rules A3–A6, L2, L4, L5), on every backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::accounts;
use app::backend::entities::{mail_outbox, user};
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::domain::account::LinkFailure;
use app::domain::factors::Factor;
use app::domain::login::LoginRefusal;
use app::domain::password::Criterion;
use app::domain::preferences::Language;
use app::domain::refusal::Refusal;
use sea_orm::{EntityTrait, PaginatorTrait};

use common::{PASSWORD, active_user, count_events, form, last_mail, refused, token_in};

#[tokio::test]
async fn sign_up_sends_an_activation_link_and_a_taken_address_creates_nothing() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        accounts::sign_up(&state, &form("marie@example.fr"), Language::En)
            .await
            .unwrap();
        let mail = last_mail(&state, "marie@example.fr").await.unwrap();
        assert_eq!(mail.subject, "[Facturo] Activate your account");
        assert!(
            mail.text_body
                .contains("http://localhost:3000/activation?jeton=")
        );
        assert_eq!(count_events(&state, "account.created").await, 1);

        accounts::sign_up(&state, &form("MARIE@example.fr"), Language::Fr)
            .await
            .unwrap();
        assert_eq!(
            user::Entity::find().count(&state.db).await.unwrap(),
            1,
            "{}",
            backend.name
        );
        let mail = last_mail(&state, "marie@example.fr").await.unwrap();
        assert!(
            mail.text_body.contains("/mot-de-passe-oublie"),
            "{}",
            mail.text_body
        );
        // The token is stored as a hash only.
        let token = token_in(
            &mail_outbox::Entity::find()
                .one(&state.db)
                .await
                .unwrap()
                .unwrap(),
        );
        let stored = app::backend::entities::user_token::Entity::find()
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(stored.token_hash, token);
    })
    .await;
}

#[tokio::test]
async fn an_activation_link_works_once_within_sixty_minutes() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        accounts::sign_up(&state, &form("a@example.fr"), Language::Fr)
            .await
            .unwrap();
        let token = token_in(&last_mail(&state, "a@example.fr").await.unwrap());

        let weak = refused(accounts::set_password_with_link(&state, &token, "short1!A").await);
        assert_eq!(weak, Err(Refusal::WeakPassword(vec![Criterion::MinLength])));
        assert!(
            accounts::set_password_with_link(&state, &token, PASSWORD)
                .await
                .is_ok()
        );
        let again = refused(accounts::set_password_with_link(&state, &token, PASSWORD).await);
        assert_eq!(again, Err(LinkFailure::AlreadyUsed.into()));
        let unknown = refused(accounts::set_password_with_link(&state, "nope", PASSWORD).await);
        assert_eq!(unknown, Err(LinkFailure::Unknown.into()));

        accounts::sign_up(&state, &form("b@example.fr"), Language::Fr)
            .await
            .unwrap();
        let token = token_in(&last_mail(&state, "b@example.fr").await.unwrap());
        state.clock.advance(61 * 60);
        let late = refused(accounts::set_password_with_link(&state, &token, PASSWORD).await);
        assert_eq!(late, Err(LinkFailure::Expired.into()));

        // Mot de passe oublié ? sends a fresh link to the account never activated.
        accounts::request_reset(&state, "b@example.fr", "192.0.2.9")
            .await
            .unwrap();
        let token = token_in(&last_mail(&state, "b@example.fr").await.unwrap());
        assert!(
            accounts::set_password_with_link(&state, &token, PASSWORD)
                .await
                .is_ok()
        );
        let user = accounts::find_by_login(&state.db, "b@example.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.status, user::UserStatus::Active);
    })
    .await;
}

#[tokio::test]
async fn a_reset_goes_to_the_login_address_reveals_nothing_and_ends_sessions() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "c@example.fr").await;
        let before = mail_outbox::Entity::find().count(&state.db).await.unwrap();
        accounts::request_reset(&state, "inconnu@example.fr", "192.0.2.9")
            .await
            .unwrap();
        assert_eq!(
            mail_outbox::Entity::find().count(&state.db).await.unwrap(),
            before
        );

        let lifetimes = Lifetimes::from_settings(&state.settings);
        let logged_in = SessionState::logged_in(user.id, state.clock.now(), Factor::EmailCode);
        let session = sessions::create(&state.db, &logged_in, lifetimes, state.clock.now())
            .await
            .unwrap();
        accounts::request_reset(&state, " C@example.fr ", "192.0.2.9")
            .await
            .unwrap();
        let mail = last_mail(&state, "c@example.fr").await.unwrap();
        assert!(mail.text_body.contains("/reinitialisation?jeton="));
        let token = token_in(&mail);
        accounts::set_password_with_link(&state, &token, "Nouveau-mot2passe")
            .await
            .unwrap();
        assert!(
            sessions::load(&state.db, session.expose(), lifetimes, state.clock.now())
                .await
                .unwrap()
                .is_none()
        );
        let ip = "192.0.2.1";
        assert!(
            accounts::check_password(&state, "c@example.fr", PASSWORD, ip)
                .await
                .is_err()
        );
        assert!(
            accounts::check_password(&state, "c@example.fr", "Nouveau-mot2passe", ip)
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_lock_the_address_until_the_lock_ends() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        active_user(&state, "d@example.fr").await;
        let ip = "192.0.2.2";
        let unknown =
            refused(accounts::check_password(&state, "personne@example.fr", PASSWORD, ip).await);
        assert_eq!(unknown.map(drop), Err(LoginRefusal::BadCredentials.into()));
        for _ in 0..5 {
            let wrong = refused(
                accounts::check_password(&state, "d@example.fr", "Mauvais-mot2passe", ip).await,
            );
            assert_eq!(wrong.map(drop), Err(LoginRefusal::BadCredentials.into()));
        }
        let locked = refused(accounts::check_password(&state, "d@example.fr", PASSWORD, ip).await);
        assert!(
            matches!(locked, Err(Refusal::Login(LoginRefusal::Locked { .. }))),
            "{}",
            backend.name
        );
        assert!(count_events(&state, "login.locked").await >= 1);
        // The owner, from another client, is not locked out.
        assert!(
            accounts::check_password(&state, "d@example.fr", PASSWORD, "192.0.2.99")
                .await
                .is_ok()
        );
        state.clock.advance(16 * 60);
        assert!(
            accounts::check_password(&state, "d@example.fr", PASSWORD, ip)
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_wrong_passwords_from_one_client_get_five_tries_at_most() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        active_user(&state, "e@example.fr").await;
        let tries: Vec<_> = (0..50)
            .map(|_| {
                let state = state.clone();
                tokio::spawn(async move {
                    accounts::check_password(
                        &state,
                        "e@example.fr",
                        "Mauvais-mot2passe",
                        "198.51.100.7",
                    )
                    .await
                })
            })
            .collect();
        for t in tries {
            assert!(t.await.unwrap().is_err());
        }
        assert_eq!(
            count_events(&state, "login.failed").await,
            5,
            "{}",
            backend.name
        );
        assert_eq!(count_events(&state, "login.locked").await, 45);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn twenty_parallel_logins_with_the_right_password_from_one_client_all_pass() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        active_user(&state, "tabs@example.fr").await;
        let tries: Vec<_> = (0..20)
            .map(|_| {
                let state = state.clone();
                tokio::spawn(async move {
                    accounts::check_password(&state, "tabs@example.fr", PASSWORD, "198.51.100.8")
                        .await
                })
            })
            .collect();
        for t in tries {
            let outcome = t.await.unwrap();
            assert!(outcome.is_ok(), "[{}] {:?}", backend.name, outcome.err());
        }
        assert_eq!(count_events(&state, "login.locked").await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_wrong_passwords_from_many_clients_are_slowed_account_wide() {
    use app::backend::guard::ACCOUNT_TRIES_PER_HOUR;
    common::on_every_backend(async |backend| {
        let state = backend.state();
        active_user(&state, "e2@example.fr").await;
        let tries: Vec<_> = (0..50)
            .map(|i| {
                let state = state.clone();
                tokio::spawn(async move {
                    let ip = format!("198.51.100.{i}");
                    accounts::check_password(&state, "e2@example.fr", "Mauvais-mot2passe", &ip)
                        .await
                })
            })
            .collect();
        for t in tries {
            assert!(t.await.unwrap().is_err());
        }
        let tries = u64::from(ACCOUNT_TRIES_PER_HOUR);
        assert_eq!(
            count_events(&state, "login.failed").await,
            tries,
            "{}",
            backend.name
        );
        assert_eq!(count_events(&state, "login.slowed").await, 50 - tries);
        // The owner waits a minute, not a lock period.
        state.clock.advance(61);
        assert!(
            accounts::check_password(&state, "e2@example.fr", PASSWORD, "192.0.2.50")
                .await
                .is_ok()
        );
    })
    .await;
}

fn code_of(mail: mail_outbox::Model) -> String {
    let start = mail.text_body.find(": ").unwrap() + 2;
    mail.text_body[start..start + 6].to_owned()
}

fn other_than(code: &str) -> &'static str {
    if code == "000000" { "000001" } else { "000000" }
}

#[tokio::test]
async fn a_login_code_works_once_before_it_expires_within_its_attempts() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "f@example.fr").await;
        let ip = "192.0.2.3";
        let session = "session-f";
        let verify = |code: String| {
            let (state, user) = (state.clone(), user.clone());
            async move { refused(accounts::verify_login_code(&state, &user, session, &code, ip).await) }
        };
        accounts::send_login_code(&state, &user, session, 0)
            .await
            .unwrap();
        let mail = last_mail(&state, "f@example.fr").await.unwrap();
        assert_eq!(mail.subject, "[Facturo] Votre code de connexion");
        let code = code_of(mail);
        assert_eq!(
            verify(other_than(&code).to_owned()).await,
            Err(LoginRefusal::CodeWrong.into())
        );
        assert_eq!(verify(code.clone()).await, Ok(()));
        // Replayed: refused.
        assert_eq!(verify(code).await, Err(LoginRefusal::CodeExpired.into()));

        accounts::send_login_code(&state, &user, session, 1)
            .await
            .unwrap();
        let code = code_of(last_mail(&state, "f@example.fr").await.unwrap());
        state.clock.advance(11 * 60);
        assert_eq!(verify(code).await, Err(LoginRefusal::CodeExpired.into()));

        accounts::send_login_code(&state, &user, session, 2)
            .await
            .unwrap();
        let code = code_of(last_mail(&state, "f@example.fr").await.unwrap());
        // Five wrong codes from five clients: the code itself is spent.
        for i in 0..5 {
            let ip = format!("198.51.100.{i}");
            let wrong = refused(
                accounts::verify_login_code(&state, &user, session, other_than(&code), &ip).await,
            );
            assert_eq!(wrong, Err(LoginRefusal::CodeWrong.into()));
        }
        let spent = refused(
            accounts::verify_login_code(&state, &user, session, &code, "198.51.100.9").await,
        );
        assert_eq!(
            spent,
            Err(LoginRefusal::CodeTooManyAttempts.into()),
            "{}",
            backend.name
        );

        // From one client, wrong codes count like wrong passwords: the
        // replay and the expired code above were tries too, so three more
        // reach the lock, and then even the right code is refused.
        accounts::send_login_code(&state, &user, session, 3)
            .await
            .unwrap();
        let code = code_of(last_mail(&state, "f@example.fr").await.unwrap());
        for _ in 0..3 {
            assert_eq!(
                verify(other_than(&code).to_owned()).await,
                Err(LoginRefusal::CodeWrong.into())
            );
        }
        assert!(
            matches!(
                verify(code).await,
                Err(Refusal::Login(LoginRefusal::Locked { .. }))
            ),
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn resending_codes_and_guessing_ends_in_a_lock_that_the_right_code_does_not_open() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "g@example.fr").await;
        let ip = "192.0.2.4";
        let session = "session-g";
        let mut locked = false;
        let mut last_code = String::new();
        for round in 0..5u32 {
            match refused(accounts::send_login_code(&state, &user, session, round).await) {
                Ok(()) => last_code = code_of(last_mail(&state, "g@example.fr").await.unwrap()),
                Err(refusal) => panic!("send {round} refused: {refusal:?}"),
            }
            for _ in 0..2 {
                let outcome = refused(
                    accounts::verify_login_code(&state, &user, session, other_than(&last_code), ip)
                        .await,
                );
                if matches!(outcome, Err(Refusal::Login(LoginRefusal::Locked { .. }))) {
                    locked = true;
                }
            }
        }
        assert!(locked, "{}", backend.name);
        let right =
            refused(accounts::verify_login_code(&state, &user, session, &last_code, ip).await);
        assert!(
            matches!(right, Err(Refusal::Login(LoginRefusal::Locked { .. }))),
            "{right:?}"
        );
        // This login may ask for no more codes.
        let more = refused(accounts::send_login_code(&state, &user, session, 5).await);
        assert_eq!(more, Err(LoginRefusal::TooManyCodesSent.into()));
    })
    .await;
}

#[tokio::test]
async fn a_code_works_only_in_the_session_that_asked_for_it() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "h@example.fr").await;
        accounts::send_login_code(&state, &user, "owner-session", 0)
            .await
            .unwrap();
        let owners = code_of(last_mail(&state, "h@example.fr").await.unwrap());
        // A stranger who knows the password: their resend does not cancel
        // the owner's code, and the owner's code does not work for them.
        accounts::send_login_code(&state, &user, "stranger-session", 0)
            .await
            .unwrap();
        let theirs = refused(
            accounts::verify_login_code(&state, &user, "stranger-session", &owners, "203.0.113.9")
                .await,
        );
        if owners != code_of(last_mail(&state, "h@example.fr").await.unwrap()) {
            assert_eq!(theirs, Err(LoginRefusal::CodeWrong.into()));
        }
        let ok = refused(
            accounts::verify_login_code(&state, &user, "owner-session", &owners, "192.0.2.5").await,
        );
        assert_eq!(ok, Ok(()), "{}", backend.name);
    })
    .await;
}

#[tokio::test]
async fn forgotten_password_requests_are_limited_and_do_not_kill_the_link_already_sent() {
    use app::backend::accounts::RESETS_PER_ADDRESS_PER_HOUR;
    common::on_every_backend(async |backend| {
        let state = backend.state();
        active_user(&state, "i@example.fr").await;
        accounts::request_reset(&state, "i@example.fr", "192.0.2.10")
            .await
            .unwrap();
        let first = token_in(&last_mail(&state, "i@example.fr").await.unwrap());
        let sent = || async {
            let all = mail_outbox::Entity::find().all(&state.db).await.unwrap();
            all.into_iter()
                .filter(|m| m.recipient == "i@example.fr" && m.text_body.contains("jeton="))
                .count()
        };
        let before = sent().await;
        for _ in 0..5 {
            accounts::request_reset(&state, "i@example.fr", "192.0.2.10")
                .await
                .unwrap();
        }
        let limit = usize::try_from(RESETS_PER_ADDRESS_PER_HOUR).unwrap();
        assert_eq!(sent().await, before + limit - 1, "{}", backend.name);
        assert!(count_events(&state, "account.reset_limited").await >= 1);
        // The first link still works, and using it retires the others.
        let last = token_in(&last_mail(&state, "i@example.fr").await.unwrap());
        assert!(
            accounts::set_password_with_link(&state, &first, "Nouveau-mot2passe")
                .await
                .is_ok()
        );
        assert_eq!(
            refused(accounts::set_password_with_link(&state, &last, PASSWORD).await),
            Err(LinkFailure::AlreadyUsed.into())
        );
    })
    .await;
}
