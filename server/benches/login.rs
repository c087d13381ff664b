//! Login throughput against the cost of one argon2id hash (issue 3).
//!
//! Run: `cargo bench -p server --bench login` (release build, embedded
//! SQLite in a temporary folder, the argon2 cost of `Leptos.toml`'s
//! defaults). It measures the time of one hash, then the password step of
//! the login (`accounts::check_password`: throttle, audit, verify) from
//! concurrent clients, and prints logins/s and their ratio to hashes/s on one
//! core: the ratio says how close the login path gets to the hash bound.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

use app::backend::settings::Settings;
use app::backend::{AppState, accounts, db};
use app::domain::account::{SignupInput, validate_signup};
use app::domain::password::Password;
use app::domain::preferences::Language;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Abcdefgh1!xy";
const HASHES: u32 = 20;
const CLIENTS: usize = 32;
const LOGINS_PER_CLIENT: usize = 15;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().to_path_buf();
    let url = settings.storage.effective_database_url();
    let conn = db::connect(&url, 10).await?;
    db::migrate(&conn).await?;
    let state = AppState::new(conn, settings)?;

    let start = Instant::now();
    for _ in 0..HASHES {
        state.passwords.hash(Password::typed(PASSWORD)?).await??;
    }
    let hash_cost = start.elapsed() / HASHES;

    for client in 0..CLIENTS {
        let email = format!("bench{client}@example.fr");
        let form = validate_signup(&SignupInput {
            login_email: email.clone(),
            login_email_confirmation: email,
            last_name: "Banc".into(),
            first_name: "Essai".into(),
            ..Default::default()
        })
        .map_err(|e| format!("{e:?}"))?;
        accounts::sign_up(&state, &form, Language::Fr).await?;
    }
    activate_all(&state).await?;

    let before = status();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let state = state.clone();
        tasks.push(tokio::spawn(async move {
            let email = format!("bench{client}@example.fr");
            for _ in 0..LOGINS_PER_CLIENT {
                let ok = accounts::check_password(&state, &email, PASSWORD, "127.0.0.1").await;
                assert!(ok.is_ok(), "login failed");
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let elapsed = start.elapsed();
    let logins = (CLIENTS * LOGINS_PER_CLIENT) as f64;
    let per_second = logins / elapsed.as_secs_f64();
    let hashes_per_second = 1.0 / hash_cost.as_secs_f64();
    println!(
        "argon2id hash (m={} KiB, t={}, p={}): {:.1} ms",
        state.settings.security.argon2_memory_kib,
        state.settings.security.argon2_iterations,
        state.settings.security.argon2_parallelism,
        ms(hash_cost)
    );
    println!(
        "password logins: {logins} in {:.2} s from {CLIENTS} clients = {per_second:.1} logins/s",
        elapsed.as_secs_f64()
    );
    println!(
        "resident memory: {} before the logins, {} after, peak {}",
        memory("VmRSS:", &before),
        memory("VmRSS:", &status()),
        memory("VmHWM:", &status())
    );
    println!(
        "ratio logins/s : hashes/s on one core = {:.2} (cores: {})",
        per_second / hashes_per_second,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    Ok(())
}

/// This process's `/proc/self/status` (Linux), empty elsewhere.
fn status() -> String {
    std::fs::read_to_string("/proc/self/status").unwrap_or_default()
}

/// One memory line of a `status` (for example `VmRSS:`), as written there.
fn memory(field: &str, status: &str) -> String {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .map_or_else(|| "unknown".to_owned(), |value| value.trim().to_owned())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Uses every activation link of the outbox.
async fn activate_all(state: &AppState) -> Result<(), Box<dyn std::error::Error>> {
    use app::backend::entities::mail_outbox;
    use sea_orm::EntityTrait;
    for mail in mail_outbox::Entity::find().all(&state.db).await? {
        if let Some(start) = mail.text_body.find("jeton=") {
            let token = mail.text_body[start + 6..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            accounts::set_password_with_link(state, token, PASSWORD).await?;
        }
    }
    Ok(())
}
