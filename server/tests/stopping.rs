//! Issue 18, items 4 and 6, on the real server process: SIGTERM stops
//! accepting connections, lets a request in flight finish, and ends the
//! process after the grace period even if a client never finishes its
//! request; with `operations.log_format = "json"`, every log line is a JSON
//! object.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GRACE_SECONDS: u64 = 4;

fn free_address() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

fn start(data: &std::path::Path, address: SocketAddr) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(data)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .env("LEPTOS_SITE_ADDR", address.to_string())
        .env("LEPTOS_SITE_ROOT", data.join("site"))
        .env("PORTAL_CONFIG", data.join("absent.toml"))
        .env("PORTAL_STORAGE__DATA_DIR", data.join("data"))
        .env("PORTAL_DIRECTORY__LOAD_SAMPLE", "false")
        .env("PORTAL_OPERATIONS__LOG_FORMAT", "json")
        .env(
            "PORTAL_OPERATIONS__SHUTDOWN_GRACE_SECONDS",
            GRACE_SECONDS.to_string(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// One whole exchange on a new connection (`Connection: close`).
fn get(address: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

/// A server-function call whose body is sent only in part: the request is
/// in flight until the rest comes.
fn begin_call(address: SocketAddr, body: &str, sent: usize) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /api/check-link HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..sent]
    )
    .unwrap();
    stream
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn sigterm_drains_what_is_in_flight_then_stops_within_the_grace_period() {
    let data = tempfile::tempdir().unwrap();
    let address = free_address();
    let mut child = start(data.path(), address);
    let started = Instant::now();
    while get(address, "/livez").is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        if let Some(status) = child.try_wait().unwrap() {
            let mut errors = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut errors)
                .ok();
            panic!("the server exited ({status}): {errors}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let ready = get(address, "/readyz").unwrap();
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");

    let body = "token=un-lien-inconnu";
    let mut finishing = begin_call(address, body, 6);
    let mut never_finishing = begin_call(address, body, 3);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "TERM");
    std::thread::sleep(Duration::from_millis(500));

    // No new connection is taken…
    assert!(
        get(address, "/livez").is_err(),
        "a new connection was served"
    );
    // …but the request in flight is answered.
    finishing.write_all(&body.as_bytes()[6..]).unwrap();
    let mut answer = String::new();
    finishing.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 "), "{answer:?}");

    // The other never ends: the grace period ends the process anyway.
    let waited = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(GRACE_SECONDS + 10),
            "the server outlived its grace period"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status}");
    drop(never_finishing.write_all(b"x"));

    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        lines.push(line.unwrap());
    }
    assert!(!lines.is_empty());
    let events: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let said = |words: &str| {
        events
            .iter()
            .any(|event| event["message"].as_str().is_some_and(|m| m.contains(words)))
    };
    assert!(said("portal listening"), "{lines:?}");
    assert!(said("stopping: no new connections"), "{lines:?}");
    assert!(said("grace period over"), "{lines:?}");
    assert!(said("stopped"), "{lines:?}");
}
