//! Issue 18, items 4 and 6, on the real server process: SIGTERM stops
//! accepting connections, lets a request in flight finish, and ends the
//! process after the grace period even if a client never finishes its
//! request; with `operations.log_format = "json"`, every log line is a JSON
//! object.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use common::process::{call, free_address, start_server, wait_until_live};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const GRACE_SECONDS: u64 = 4;

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
    let mut child = start_server(
        data.path(),
        address,
        &[
            ("PORTAL_OPERATIONS__LOG_FORMAT", "json".into()),
            (
                "PORTAL_OPERATIONS__SHUTDOWN_GRACE_SECONDS",
                GRACE_SECONDS.to_string(),
            ),
        ],
    );
    wait_until_live(&mut child, address);
    let ready = call(address, "GET", "/readyz", "", None).unwrap();
    assert_eq!(ready.status, 200, "{ready:?}");

    let body = "token=un-lien-inconnu";
    let mut finishing = begin_call(address, body, 6);
    let mut never_finishing = begin_call(address, body, 3);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "TERM");
    std::thread::sleep(Duration::from_millis(500));

    // No new connection is taken…
    assert!(
        call(address, "GET", "/livez", "", None).is_err(),
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
