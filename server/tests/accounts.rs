//! The account lifecycle services (rules A3–A6, L2, L4, L5), on every backend.

mod common;

use app::backend::accounts::{self, CodeDenied, LoginDenied, PasswordDenied};
use app::backend::entities::{mail_outbox, user};
use app::backend::links::LinkProblem;
use app::backend::sessions::{self, Lifetimes};
use app::domain::password::Criterion;
use app::domain::preferences::Language;
use sea_orm::{EntityTrait, PaginatorTrait};

use common::{PASSWORD, active_user, count_events, form, last_mail, token_in};

#[tokio::test]
async fn sign_up_sends_an_activation_link_and_a_taken_address_creates_nothing() {
    for backend in common::backends().await {
        let state = backend.state();
        accounts::sign_up(&state, &form("marie@example.fr"), Language::En).await.unwrap();
        let mail = last_mail(&state, "marie@example.fr").await.unwrap();
        assert_eq!(mail.subject, "[Facturo] Activate your account");
        assert!(mail.text_body.contains("http://localhost:3000/activation?jeton="));
        assert_eq!(count_events(&state, "account.created").await, 1);

        accounts::sign_up(&state, &form("MARIE@example.fr"), Language::Fr).await.unwrap();
        assert_eq!(user::Entity::find().count(&state.db).await.unwrap(), 1, "{}", backend.name);
        let mail = last_mail(&state, "marie@example.fr").await.unwrap();
        assert!(mail.text_body.contains("/mot-de-passe-oublie"), "{}", mail.text_body);
        // The token is stored as a hash only.
        let token = token_in(&mail_outbox::Entity::find().one(&state.db).await.unwrap().unwrap());
        let stored = app::backend::entities::user_token::Entity::find().one(&state.db).await.unwrap().unwrap();
        assert_ne!(stored.token_hash, token);
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn an_activation_link_works_once_within_sixty_minutes() {
    for backend in common::backends().await {
        let state = backend.state();
        accounts::sign_up(&state, &form("a@example.fr"), Language::Fr).await.unwrap();
        let token = token_in(&last_mail(&state, "a@example.fr").await.unwrap());

        let weak = accounts::set_password_with_link(&state, &token, "short1!A").await.unwrap();
        assert_eq!(weak, Err(PasswordDenied::Weak(vec![Criterion::MinLength])));
        assert!(accounts::set_password_with_link(&state, &token, PASSWORD).await.unwrap().is_ok());
        let again = accounts::set_password_with_link(&state, &token, PASSWORD).await.unwrap();
        assert_eq!(again, Err(PasswordDenied::Link(LinkProblem::AlreadyUsed)));
        let unknown = accounts::set_password_with_link(&state, "nope", PASSWORD).await.unwrap();
        assert_eq!(unknown, Err(PasswordDenied::Link(LinkProblem::Unknown)));

        accounts::sign_up(&state, &form("b@example.fr"), Language::Fr).await.unwrap();
        let token = token_in(&last_mail(&state, "b@example.fr").await.unwrap());
        state.clock.advance(61 * 60);
        let late = accounts::set_password_with_link(&state, &token, PASSWORD).await.unwrap();
        assert_eq!(late, Err(PasswordDenied::Link(LinkProblem::Expired)));

        // Mot de passe oublié ? sends a fresh link to the account never activated.
        accounts::request_reset(&state, "b@example.fr").await.unwrap();
        let token = token_in(&last_mail(&state, "b@example.fr").await.unwrap());
        assert!(accounts::set_password_with_link(&state, &token, PASSWORD).await.unwrap().is_ok());
        let user = accounts::find_by_login(&state.db, "b@example.fr").await.unwrap().unwrap();
        assert_eq!(user.status, user::UserStatus::Active);
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn a_reset_goes_to_the_login_address_reveals_nothing_and_ends_sessions() {
    for backend in common::backends().await {
        let state = backend.state();
        let user = active_user(&state, "c@example.fr").await;
        let before = mail_outbox::Entity::find().count(&state.db).await.unwrap();
        accounts::request_reset(&state, "inconnu@example.fr").await.unwrap();
        assert_eq!(mail_outbox::Entity::find().count(&state.db).await.unwrap(), before);

        let lifetimes = Lifetimes::from_settings(&state.settings);
        let session = sessions::create(&state.db, Some(user.id), serde_json::json!({}), lifetimes, state.clock.now())
            .await
            .unwrap();
        accounts::request_reset(&state, " C@example.fr ").await.unwrap();
        let mail = last_mail(&state, "c@example.fr").await.unwrap();
        assert!(mail.text_body.contains("/reinitialisation?jeton="));
        let token = token_in(&mail);
        accounts::set_password_with_link(&state, &token, "Nouveau-mot2passe").await.unwrap().unwrap();
        assert!(sessions::load(&state.db, session.expose(), lifetimes, state.clock.now()).await.unwrap().is_none());
        let ip = "192.0.2.1";
        assert!(accounts::check_password(&state, "c@example.fr", PASSWORD, ip).await.unwrap().is_err());
        assert!(accounts::check_password(&state, "c@example.fr", "Nouveau-mot2passe", ip).await.unwrap().is_ok());
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn wrong_passwords_lock_the_address_until_the_lock_ends() {
    for backend in common::backends().await {
        let state = backend.state();
        active_user(&state, "d@example.fr").await;
        let ip = "192.0.2.2";
        let unknown = accounts::check_password(&state, "personne@example.fr", PASSWORD, ip).await.unwrap();
        assert_eq!(unknown.unwrap_err(), LoginDenied::BadCredentials);
        for _ in 0..5 {
            let wrong = accounts::check_password(&state, "d@example.fr", "Mauvais-mot2passe", ip).await.unwrap();
            assert_eq!(wrong.unwrap_err(), LoginDenied::BadCredentials);
        }
        let locked = accounts::check_password(&state, "d@example.fr", PASSWORD, ip).await.unwrap();
        assert!(matches!(locked, Err(LoginDenied::Locked { .. })), "{}", backend.name);
        assert!(count_events(&state, "login.locked").await >= 1);
        state.clock.advance(16 * 60);
        assert!(accounts::check_password(&state, "d@example.fr", PASSWORD, ip).await.unwrap().is_ok());
        backend.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_parallel_wrong_passwords_get_five_tries_at_most() {
    for backend in common::backends().await {
        let state = backend.state();
        active_user(&state, "e@example.fr").await;
        let tries: Vec<_> = (0..50)
            .map(|i| {
                let state = state.clone();
                tokio::spawn(async move {
                    let ip = format!("198.51.100.{i}");
                    accounts::check_password(&state, "e@example.fr", "Mauvais-mot2passe", &ip).await.unwrap()
                })
            })
            .collect();
        for t in tries {
            assert!(t.await.unwrap().is_err());
        }
        assert_eq!(count_events(&state, "login.failed").await, 5, "{}", backend.name);
        assert_eq!(count_events(&state, "login.locked").await, 45);
        backend.cleanup().await;
    }
}

#[tokio::test]
async fn a_login_code_works_once_before_it_expires_within_its_attempts() {
    for backend in common::backends().await {
        let state = backend.state();
        let user = active_user(&state, "f@example.fr").await;
        let ip = "192.0.2.3";
        let code_of = |mail: mail_outbox::Model| {
            let start = mail.text_body.find(": ").unwrap() + 2;
            mail.text_body[start..start + 6].to_owned()
        };
        accounts::send_login_code(&state, &user).await.unwrap();
        let mail = last_mail(&state, "f@example.fr").await.unwrap();
        assert_eq!(mail.subject, "[Facturo] Votre code de connexion");
        let code = code_of(mail);
        let wrong = if code == "000000" { "000001" } else { "000000" };
        assert_eq!(accounts::verify_login_code(&state, user.id, wrong, ip).await.unwrap(), Err(CodeDenied::Wrong));
        assert_eq!(accounts::verify_login_code(&state, user.id, &code, ip).await.unwrap(), Ok(()));
        // Replayed: refused.
        assert_eq!(accounts::verify_login_code(&state, user.id, &code, ip).await.unwrap(), Err(CodeDenied::Expired));

        accounts::send_login_code(&state, &user).await.unwrap();
        let code = code_of(last_mail(&state, "f@example.fr").await.unwrap());
        state.clock.advance(11 * 60);
        assert_eq!(accounts::verify_login_code(&state, user.id, &code, ip).await.unwrap(), Err(CodeDenied::Expired));

        accounts::send_login_code(&state, &user).await.unwrap();
        let code = code_of(last_mail(&state, "f@example.fr").await.unwrap());
        let wrong = if code == "000000" { "000001" } else { "000000" };
        for _ in 0..5 {
            assert_eq!(accounts::verify_login_code(&state, user.id, wrong, ip).await.unwrap(), Err(CodeDenied::Wrong));
        }
        assert_eq!(
            accounts::verify_login_code(&state, user.id, &code, ip).await.unwrap(),
            Err(CodeDenied::TooManyAttempts)
        );
        backend.cleanup().await;
    }
}
