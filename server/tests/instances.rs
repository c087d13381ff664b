//! Issue 18, item 2 (in part): two server processes on one PostgreSQL
//! database, started at the same moment on an empty one (so they migrate it
//! together), sharing one data folder (the file mailbox). A person moves
//! between them at every step: a session opened on one is valid on the
//! other; *Mot de passe oublié ?* asked on one, its link used on the other;
//! the password step on one, the e-mailed code on the other, the logged-in
//! session read on the first. Every e-mail arrives exactly once, whichever
//! instance's worker sent it.
//!
//! PostgreSQL only (`TEST_DATABASE_URL`, which CI sets): instances sharing
//! an SQLite file is not a supported deployment.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use common::process::{Answer, call, free_address, start_server, wait_until_live};
use sea_orm::{ConnectionTrait, Database};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Abcdefgh1!xy";

fn post(address: SocketAddr, path: &str, body: &str, cookie: Option<&str>) -> Answer {
    let answer = call(address, "POST", path, body, cookie).unwrap();
    assert_eq!(answer.status, 200, "{path} on {address}: {answer:?}");
    answer
}

/// The e-mails to `to` so far, read through `address`'s test support.
fn mails_to(address: SocketAddr, to: &str) -> Vec<serde_json::Value> {
    let answer = call(address, "GET", "/__test/mailbox", "", None).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&answer.body).unwrap();
    all.into_iter().filter(|mail| mail["to"] == to).collect()
}

/// Waits for the `count`th e-mail to `to`; returns its text.
fn wait_for_mail(address: SocketAddr, to: &str, count: usize) -> String {
    let started = Instant::now();
    loop {
        let mails = mails_to(address, to);
        if mails.len() >= count {
            // Newest first.
            return mails[0]["text"].as_str().unwrap().to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no e-mail {count} to {to}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn session_cookie(answer: &Answer) -> String {
    answer
        .cookies
        .iter()
        .find(|cookie| cookie.starts_with("portal_session=") && cookie.len() > 20)
        .unwrap_or_else(|| panic!("no session cookie: {answer:?}"))
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_moves_between_two_instances_on_one_database() {
    let Some(admin_url) = common::postgres_url() else {
        eprintln!("TEST_DATABASE_URL unset: several instances need PostgreSQL");
        return;
    };
    let name = format!("portal_instances_{:016x}", rand::random::<u64>());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&name);

    let data = tempfile::tempdir().unwrap();
    let (one, two) = (free_address(), free_address());
    let settings = [
        ("DATABASE_URL", url.to_string()),
        ("PORTAL_TEST_SUPPORT", "1".to_owned()),
        ("PORTAL_MAIL__POLL_INTERVAL_MS", "100".to_owned()),
    ];
    let mut first = start_server(data.path(), one, &settings);
    let mut second = start_server(data.path(), two, &settings);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        wait_until_live(&mut first, one);
        wait_until_live(&mut second, two);
        for address in [one, two] {
            let ready = call(address, "GET", "/readyz", "", None).unwrap();
            assert_eq!(ready.status, 200, "{ready:?}");
        }

        // A session opened on one instance is valid on the other.
        let opened = post(one, "/__test/sessions", r#"{"count":1}"#, None);
        let opened: serde_json::Value = serde_json::from_str(&opened.body).unwrap();
        let cookie = opened["cookies"][0].as_str().unwrap().to_owned();
        let me = post(two, "/api/me", "", Some(&cookie));
        let email = serde_json::from_str::<serde_json::Value>(&me.body).unwrap()["login_email"]
            .as_str()
            .unwrap_or_else(|| panic!("me: {}", me.body))
            .to_owned();

        // The reset link, asked on one, used on the other.
        post(
            one,
            "/api/forgot-password",
            &format!("login_email={email}"),
            None,
        );
        let link = wait_for_mail(two, &email, 1);
        let token = link
            .split("jeton=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no link in {link}"));
        post(
            two,
            "/api/set-password",
            &format!("token={token}&password={PASSWORD}&confirmation={PASSWORD}")
                .replace('!', "%21"),
            None,
        );

        // The password on one, the e-mailed code on the other.
        let waiting = post(
            one,
            "/api/login",
            &format!(
                "login_email={email}&password={}",
                PASSWORD.replace('!', "%21")
            ),
            None,
        );
        let waiting_cookie = session_cookie(&waiting);
        let text = wait_for_mail(one, &email, 2);
        let code: String = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|digits| digits.len() == 6)
            .unwrap_or_else(|| panic!("no code in {text}"))
            .to_owned();
        let logged_in = post(
            two,
            "/api/verify-code",
            &format!("code={code}"),
            Some(&waiting_cookie),
        );
        let logged_in_cookie = session_cookie(&logged_in);
        let me = post(one, "/api/me", "", Some(&logged_in_cookie));
        assert!(me.body.contains(&email), "{}", me.body);

        // Both workers polled all along: each e-mail arrived once.
        std::thread::sleep(Duration::from_secs(2));
        assert_eq!(mails_to(one, &email).len(), 2);
    }));
    for child in [&mut first, &mut second] {
        let _ = child.kill();
        let _ = child.wait();
    }
    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
