//! Test databases: every integration test runs through [`on_every_backend`],
//! against SQLite (a fresh file) and, when `TEST_DATABASE_URL` is set,
//! against PostgreSQL too, in a schema of its own so that parallel tests and
//! runs never see each other's rows, and dropped even when the test fails.
//! Below them, the accounts and structures the service tests start from.

#![allow(dead_code)]

pub mod http;
pub mod process;

use app::backend::accounts;
use app::backend::entities::{audit_log, mail_outbox, user};
use app::backend::secrets::Token;
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::backend::support::Agent;
use app::backend::{AppState, db, settings::Settings};
use app::domain::account::{SignupInput, validate_signup};
use app::domain::factors::Factor;
use app::domain::preferences::Language;
use app::domain::structures::{StructureInput, ValidStructure, validate_structure};
use futures::FutureExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tempfile::TempDir;

/// One migrated database and what it takes to clean it up.
pub struct TestDb {
    pub name: &'static str,
    pub db: DatabaseConnection,
    pub dir: TempDir,
    pg_schema: Option<(String, String)>,
}

impl TestDb {
    /// App state over this database, with data and mailbox in a temp folder.
    pub fn state(&self) -> AppState {
        self.state_with(|_| {})
    }

    /// Like [`TestDb::state`], with settings changed by `change`.
    pub fn state_with(&self, change: impl FnOnce(&mut Settings)) -> AppState {
        let mut settings = Settings::default();
        settings.storage.data_dir = self.dir.path().to_path_buf();
        // Cheap hashing: the tests are about behaviour, not cost.
        settings.security.argon2_memory_kib = 1024;
        settings.security.argon2_iterations = 1;
        change(&mut settings);
        AppState::new(self.db.clone(), settings).expect("state")
    }

    /// The PostgreSQL schema this database lives in (none on SQLite).
    pub fn pg_schema(&self) -> Option<&str> {
        self.pg_schema.as_ref().map(|(_, schema)| schema.as_str())
    }

    /// Closes the pool and drops the PostgreSQL schema (SQLite's file goes
    /// with the temp folder).
    pub async fn cleanup(self) {
        // A pool still held by a stray task must not stop the drop.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.db.close()).await;
        if let Some((url, schema)) = self.pg_schema {
            drop_schema(&url, &schema).await;
        }
    }
}

/// Runs `body` on a fresh SQLite database, then on a fresh PostgreSQL schema
/// when `TEST_DATABASE_URL` is set, and cleans each up after it, also when
/// the body panics: the panic is caught, the database dropped, and the panic
/// resumed, so that a failing test leaves no schema behind. The first panic
/// ends the test (the next backend is not created).
pub async fn on_every_backend(body: impl AsyncFn(&TestDb)) {
    run_then_clean_up(sqlite().await, &body).await;
    if let Some(url) = postgres_url() {
        run_then_clean_up(postgres(&url).await, &body).await;
    }
}

async fn run_then_clean_up(backend: TestDb, body: &impl AsyncFn(&TestDb)) {
    let outcome = AssertUnwindSafe(body(&backend)).catch_unwind().await;
    backend.cleanup().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// A fresh SQLite database only (for tests of the HTTP layer, where the
/// backend makes no difference).
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("test.sqlite").display()
    );
    let db = db::connect(&url, 5).await.expect("sqlite connects");
    db::migrate(&db).await.expect("sqlite migrates");
    TestDb {
        name: "sqlite",
        db,
        dir,
        pg_schema: None,
    }
}

/// `TEST_DATABASE_URL`, when set.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
}

async fn postgres(url: &str) -> TestDb {
    let schema = format!("portal_test_{:016x}", rand::random::<u64>());
    let admin = Database::connect(url).await.expect("postgres connects");
    admin
        .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
        .await
        .expect("schema created");
    admin.close().await.ok();
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(5)
        .sqlx_logging(false)
        .set_schema_search_path(schema.clone());
    let migrated = match Database::connect(options).await {
        Ok(db) => db::migrate(&db).await.map(|()| db),
        Err(error) => Err(error),
    };
    let db = match migrated {
        Ok(db) => db,
        Err(error) => {
            drop_schema(url, &schema).await;
            panic!("postgres schema {schema}: {error}");
        }
    };
    let dir = tempfile::tempdir().expect("temp dir");
    TestDb {
        name: "postgres",
        db,
        dir,
        pg_schema: Some((url.to_owned(), schema)),
    }
}

async fn drop_schema(url: &str, schema: &str) {
    if let Ok(admin) = Database::connect(url).await {
        let _ = admin
            .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .await;
        admin.close().await.ok();
    }
}

// Accounts, for the tests of the services that need one.

pub const PASSWORD: &str = "Abcdefgh1!xy";

pub fn form(email: &str) -> app::domain::account::ValidSignup {
    validate_signup(&SignupInput {
        login_email: email.into(),
        login_email_confirmation: email.into(),
        last_name: "Curie".into(),
        first_name: "Marie".into(),
        phone: String::new(),
        contact_email: String::new(),
    })
    .unwrap()
}

/// The newest queued mail to `to`.
pub async fn last_mail(state: &AppState, to: &str) -> Option<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Recipient.eq(to))
        .order_by_desc(mail_outbox::Column::Id)
        .one(&state.db)
        .await
        .unwrap()
}

/// How many mails to `to` are queued whose subject contains `subject`.
pub async fn mail_count(state: &AppState, to: &str, subject: &str) -> u64 {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Recipient.eq(to))
        .filter(mail_outbox::Column::Subject.contains(subject))
        .count(&state.db)
        .await
        .unwrap()
}

/// The token of the link in a mail's text.
pub fn token_in(mail: &mail_outbox::Model) -> String {
    let start = mail.text_body.find("jeton=").expect("a link") + "jeton=".len();
    mail.text_body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Signs up Marie Curie at `email` and returns her activation token.
pub async fn activation_token(state: &AppState, email: &str) -> String {
    accounts::sign_up(state, &form(email), Language::Fr)
        .await
        .unwrap();
    token_in(&last_mail(state, email).await.unwrap())
}

/// An account activated with [`PASSWORD`].
pub async fn active_user(state: &AppState, email: &str) -> user::Model {
    let token = activation_token(state, email).await;
    accounts::set_password_with_link(state, &token, PASSWORD)
        .await
        .unwrap();
    accounts::find_by_login(&state.db, email)
        .await
        .unwrap()
        .unwrap()
}

/// A logged-in session of `user_id`, started now with the configured
/// lifetimes, as if opened with an authenticator app (Support's pages need
/// one; `support_desk.rs` tests the other factors).
pub async fn logged_in_session(state: &AppState, user_id: i32) -> Token {
    let now = state.clock.now();
    let lifetimes = Lifetimes::from_settings(&state.settings);
    sessions::create(
        &state.db,
        &SessionState::logged_in(user_id, now, Factor::Totp),
        lifetimes,
        now,
    )
    .await
    .unwrap()
}

pub async fn count_events(state: &AppState, event: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Event.eq(event))
        .count(&state.db)
        .await
        .unwrap()
}

/// A service's outcome with its refusal as a value, for `assert_eq!`; an
/// infrastructure failure fails the test.
pub fn refused<T>(outcome: app::backend::Outcome<T>) -> Result<T, app::domain::refusal::Refusal> {
    match outcome {
        Ok(value) => Ok(value),
        Err(app::backend::BackendError::Refused(refusal)) => Err(refusal),
        Err(failure) => panic!("infrastructure failure: {failure}"),
    }
}

// Support.

/// The state with `login` as Support's one login address.
pub fn with_support(mut state: AppState, login: &str) -> AppState {
    std::sync::Arc::make_mut(&mut state.settings).support.logins = vec![login.into()];
    state
}

/// A new active account at `login` (Support in `state`), as a Support
/// agent logged in with an authenticator app.
pub async fn support_agent(state: &AppState, login: &str) -> Agent {
    let user = active_user(state, login).await;
    Agent::check(state, user, Some(Factor::Totp)).expect("Support, logged in with an app")
}

// Structures.

/// The structure form filled with a SIRET only, as a user types it.
pub fn siret(value: &str) -> ValidStructure {
    validate_structure(&StructureInput {
        identifier_type: "siret".into(),
        identifier: value.into(),
        ..Default::default()
    })
    .unwrap()
}

/// The structure form of an organisation outside the EU, named as typed.
pub fn outside_the_eu(identifier: &str, name: &str) -> ValidStructure {
    validate_structure(&StructureInput {
        identifier_type: "hors_ue".into(),
        identifier: identifier.into(),
        name: name.into(),
        ..Default::default()
    })
    .unwrap()
}

/// Attaches `manager` and `member` to the structure, `manager` with
/// *Organisation modification* (which makes a manager, rule H5).
pub async fn attach_manager_and_member(
    state: &AppState,
    structure_id: i32,
    manager: &user::Model,
    member: &user::Model,
) {
    use app::backend::authorisations::{attach, set_level};
    use app::domain::authorisations::{Level, ORGANISATION, Origin};
    let now = state.clock.now();
    for user in [manager, member] {
        let joined = attach(&state.db, structure_id, user.id, Origin::Attached, now)
            .await
            .unwrap();
        if user.id == manager.id {
            let level = Some(Level::Modification);
            set_level(&state.db, joined.id, ORGANISATION, level, now)
                .await
                .unwrap();
        }
    }
}
