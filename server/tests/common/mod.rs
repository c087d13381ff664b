//! Test databases: every integration test runs against SQLite (a fresh file)
//! and, when `TEST_DATABASE_URL` is set, against PostgreSQL too, in a schema
//! of its own so that parallel tests and runs never see each other's rows.

#![allow(dead_code)]

use app::backend::accounts;
use app::backend::entities::{audit_log, mail_outbox, user};
use app::backend::{AppState, db, settings::Settings};
use app::domain::account::{SignupInput, validate_signup};
use app::domain::preferences::Language;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
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
        let mut settings = Settings::default();
        settings.storage.data_dir = self.dir.path().to_path_buf();
        // Cheap hashing: the tests are about behaviour, not cost.
        settings.security.argon2_memory_kib = 1024;
        settings.security.argon2_iterations = 1;
        AppState::new(self.db.clone(), settings).expect("state")
    }

    /// Drops the PostgreSQL schema (SQLite's file goes with the temp folder).
    pub async fn cleanup(self) {
        if let Some((url, schema)) = self.pg_schema
            && let Ok(admin) = Database::connect(url.as_str()).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                .await;
        }
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
    let db = Database::connect(options)
        .await
        .expect("postgres schema connects");
    db::migrate(&db).await.expect("postgres migrates");
    let dir = tempfile::tempdir().expect("temp dir");
    TestDb {
        name: "postgres",
        db,
        dir,
        pg_schema: Some((url.to_owned(), schema)),
    }
}

/// SQLite, then PostgreSQL if `TEST_DATABASE_URL` is set.
pub async fn backends() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        all.push(postgres(url.trim()).await);
    }
    all
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

/// The token of the link in a mail's text.
pub fn token_in(mail: &mail_outbox::Model) -> String {
    let start = mail.text_body.find("jeton=").expect("a link") + "jeton=".len();
    mail.text_body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

pub async fn active_user(state: &AppState, email: &str) -> user::Model {
    accounts::sign_up(state, &form(email), Language::Fr)
        .await
        .unwrap();
    let token = token_in(&last_mail(state, email).await.unwrap());
    accounts::set_password_with_link(state, &token, PASSWORD)
        .await
        .unwrap();
    accounts::find_by_login(&state.db, email)
        .await
        .unwrap()
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
