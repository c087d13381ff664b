//! The real server binary, started as a process, and plain HTTP/1.0 to it
//! (for the tests of what only a process shows: signals, several
//! instances).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An address no one listens on now.
pub fn free_address() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// The server, on `address`, with its data in `data` and no settings file;
/// `settings` are `PORTAL_*` (or `DATABASE_URL`) variables on top.
pub fn start_server(data: &Path, address: SocketAddr, settings: &[(&str, String)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .current_dir(data)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_OUTPUT_NAME", "portal")
        .env("LEPTOS_SITE_ADDR", address.to_string())
        .env("LEPTOS_SITE_ROOT", data.join("site"))
        .env("PORTAL_CONFIG", data.join("absent.toml"))
        .env("PORTAL_STORAGE__DATA_DIR", data.join("data"))
        .env("PORTAL_DIRECTORY__LOAD_SAMPLE", "false");
    for (name, value) in settings {
        command.env(name, value);
    }
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `address` answers `/livez`; fails with the server's errors
/// if it exits first.
pub fn wait_until_live(child: &mut Child, address: SocketAddr) {
    let started = Instant::now();
    while call(address, "GET", "/livez", "", None).is_err() {
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
            let mut output = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut output)
                .ok();
            panic!("the server exited ({status}): {errors}{output}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What an HTTP exchange gave back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The `name=value` of each `Set-Cookie`.
    pub cookies: Vec<String>,
    pub body: String,
}

/// One HTTP/1.0 exchange (no chunked body, the connection closes): a GET,
/// or a POST of a form as the pages' script sends it (of JSON when `body`
/// starts with `{`: test support's requests).
pub fn call(
    address: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: {address}\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        let kind = if body.starts_with('{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        request.push_str(&format!(
            "Content-Type: {kind}\r\nAccept: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let cookies = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next().unwrap_or("").to_owned())
        })
        .collect();
    Ok(Answer {
        status,
        cookies,
        body: body.to_owned(),
    })
}
