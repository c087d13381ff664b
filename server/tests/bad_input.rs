//! Rule R5 over HTTP: bad input sent to every server function, anonymously,
//! half logged in (waiting for the second factor) and logged in, on every
//! backend, answers a 4xx (never a 5xx, so never a panic: the edge's
//! `CatchPanicLayer` answers those 500) and changes no business data.
//!
//! The functions are read from server_fn's registry at run time, so one
//! added later is covered without touching this file. Their arguments are
//! not: the suite sends one tree holding every argument name the portal uses
//! (`arguments`), with harmless values (unknown ids, wrong passwords, an
//! existing structure's identifier), and learns which leaves a function reads
//! by replacing each with a map, which no argument accepts: the leaves whose
//! replacement stops the arguments from deserialising are the function's.
//! Each of those then gets every hostile value (`bodies::hostile`), and goes
//! missing; every function also gets the generic cases (bodies that are no
//! form and no JSON, wrong content types and methods, oversized bodies, NUL
//! in the query, bad cookies, the no-JavaScript form post). A function with
//! an argument name not in the tree gets only the generic cases; the report
//! names it, so that its names can be added.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

#[path = "bad_input/bodies.rs"]
mod bodies;
mod common;

use app::backend::AppState;
use app::backend::attachments::{self, approvals};
use app::backend::entities::*;
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::backend::structures::{self, services};
use app::domain::attachments::{RequestEvent, check_request};
use app::domain::factors::Factor;
use app::domain::structures::{StructureInput, check_service, validate_structure};
use app::error::AppError;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use bodies::{Leaf, Node, hostile, leaves, map, probe, text, to_form, to_json, with};
use http_body_util::BodyExt;
use leptos::server_fn::error::ServerFnUrlError;
use sea_orm::{ActiveModelTrait, EntityTrait, Iterable, PrimaryKeyToColumn, QueryOrder, Set};
use serde_json::json;
use std::sync::Mutex;
use tower::ServiceExt;

const IP: &str = "192.0.2.1";
/// No row has this id.
const UNKNOWN_ID: i64 = 999_999;
/// A password the policy accepts, but nobody's.
const WRONG_PASSWORD: &str = "Pas-le-bon-1!";
/// The seeded structure's identifier: creating it again is refused.
const EXISTING_IDENTIFIER: &str = "DE123456789";
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Every argument of the portal's server functions, by name, with a value
/// that changes nothing: the union of their inputs, so each function finds
/// its own among the others (extra fields, every time).
fn arguments() -> Node {
    use Node::{Bool, Int, List, Map};
    map(&[
        (
            "input",
            map(&[
                ("login_email", text("nobody@example.fr")),
                ("login_email_confirmation", text("nobody@example.fr")),
                ("last_name", text("Curie")),
                ("first_name", text("Marie")),
                ("phone", text("")),
                ("contact_email", text("")),
                ("identifier_type", text("ue_hors_france")),
                ("identifier", text(EXISTING_IDENTIFIER)),
                ("name", text("Muster GmbH")),
                ("label", text("")),
                ("email", text("")),
                ("situation", text("autre")),
                ("email_confirmation", text("")),
                ("login_address", text("")),
                ("description", text("Une vraie question.")),
            ]),
        ),
        ("challenge", text("00")),
        ("nonce", Int(1)),
        ("token", text("jeton-inconnu")),
        ("password", text(WRONG_PASSWORD)),
        ("confirmation", text(WRONG_PASSWORD)),
        ("new_address", text("ailleurs@example.fr")),
        ("field", text("LastName")),
        ("confirmed", Bool(false)),
        ("survey_consent", Bool(false)),
        ("topics", Int(4)),
        ("value", text("")),
        ("current", text(WRONG_PASSWORD)),
        ("login_email", text("nobody@example.fr")),
        ("page", Int(0)),
        ("per_page", Int(5)),
        ("request_id", Int(UNKNOWN_ID)),
        ("approve", Bool(false)),
        ("reason", text("Motif")),
        ("query", text("mu")),
        ("structure_id", Int(UNKNOWN_ID)),
        ("comment", text("Bonjour")),
        ("service_level", Bool(false)),
        ("services", List(vec![Int(UNKNOWN_ID)])),
        ("code", text("000000")),
        ("name", text("Ma clé")),
        ("id", Int(UNKNOWN_ID)),
        (
            "credential",
            map(&[
                ("id", text("AAAA")),
                ("rawId", text("AAAA")),
                ("type", text("public-key")),
                ("extensions", Map(Vec::new())),
                (
                    "response",
                    map(&[
                        ("attestationObject", text("AAAA")),
                        ("clientDataJSON", text("AAAA")),
                        ("authenticatorData", text("AAAA")),
                        ("signature", text("AAAA")),
                    ]),
                ),
            ]),
        ),
        ("siret", text("90100001800019")),
        ("label", text("Service achats")),
        ("service_id", Int(UNKNOWN_ID)),
        ("active", Bool(false)),
        ("refused", Bool(true)),
        ("language", text("fr")),
        ("accessibility", text("on")),
        ("user_id", Int(UNKNOWN_ID)),
        ("user_ids", List(vec![Int(UNKNOWN_ID)])),
        ("action", text("Deactivate")),
        (
            "levels",
            List(vec![map(&[
                ("application", text("inconnue")),
                ("level", text("Consultation")),
            ])]),
        ),
        (
            "listing",
            map(&[
                ("filter", text("curie")),
                ("sort", text("LastName")),
                ("descending", Bool(false)),
            ]),
        ),
        ("status", text("open")),
        ("situation", text("")),
        ("search", text("sup-")),
        ("reply", text("Bonjour")),
        ("act", text("Close")),
        ("user", text("marie@example.fr")),
        ("structure", text("90100001800019")),
        ("event", text("login.failed")),
        ("from", text("2026-12-01")),
        ("to", text("2026-12-07")),
        ("before", text("")),
        ("address", text("marie@example.fr")),
        ("unexpected", text("an extra field")),
    ])
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    AwaitingSecondFactor,
    LoggedIn,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Encoding {
    Form,
    Json,
}

impl Encoding {
    fn render(self, node: &Node) -> String {
        match self {
            Encoding::Form => to_form(node),
            Encoding::Json => to_json(node),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Encoding::Form => FORM,
            Encoding::Json => JSON,
        }
    }
}

/// One request of the suite.
struct Call {
    method: Method,
    uri: String,
    content_type: Option<String>,
    body: Vec<u8>,
    headers: Vec<(header::HeaderName, Vec<u8>)>,
}

impl Call {
    fn post(path: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Call {
        Call {
            method: Method::POST,
            uri: path.to_owned(),
            content_type: Some(content_type.to_owned()),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    fn header(mut self, name: header::HeaderName, value: impl Into<Vec<u8>>) -> Call {
        self.headers.push((name, value.into()));
        self
    }
}

/// The business tables, ordered by primary key.
#[derive(Debug, PartialEq)]
struct Snapshot {
    users: Vec<user::Model>,
    structures: Vec<structure::Model>,
    services: Vec<service::Model>,
    memberships: Vec<membership::Model>,
    membership_services: Vec<membership_service::Model>,
    attachment_requests: Vec<attachment_request::Model>,
    attachment_request_services: Vec<attachment_request_service::Model>,
    totp_apps: Vec<totp_app::Model>,
    security_keys: Vec<security_key::Model>,
    user_tokens: Vec<user_token::Model>,
    recovery_codes: Vec<recovery_code::Model>,
    profiles: Vec<profile::Model>,
    profile_requests: Vec<profile_request::Model>,
    invitations: Vec<invitation::Model>,
    address_changes: Vec<address_change::Model>,
    notification_topics: Vec<notification_topic::Model>,
    profile_photos: Vec<profile_photo::Model>,
    support_tickets: Vec<support_ticket::Model>,
    ticket_messages: Vec<ticket_message::Model>,
    technical_users: Vec<technical_user::Model>,
    api_clients: Vec<api_client::Model>,
}

impl Snapshot {
    /// The tables that differ, with their rows in `self`.
    fn changes_from(&self, before: &Snapshot) -> Vec<String> {
        let mut changed = Vec::new();
        macro_rules! compare {
            ($($table:ident),*) => {$(
                if self.$table != before.$table {
                    changed.push(format!("{}: {:#?}", stringify!($table), self.$table));
                }
            )*};
        }
        compare!(
            users,
            structures,
            services,
            memberships,
            membership_services,
            attachment_requests,
            attachment_request_services,
            totp_apps,
            security_keys,
            user_tokens,
            recovery_codes,
            profiles,
            profile_requests,
            invitations,
            address_changes,
            notification_topics,
            profile_photos,
            support_tickets,
            ticket_messages,
            technical_users,
            api_clients
        );
        changed
    }
}

async fn rows<E: EntityTrait>(state: &AppState) -> Vec<E::Model> {
    let mut select = E::find();
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    select.all(&state.db).await.unwrap()
}

async fn snapshot(state: &AppState) -> Snapshot {
    Snapshot {
        users: rows::<user::Entity>(state).await,
        structures: rows::<structure::Entity>(state).await,
        services: rows::<service::Entity>(state).await,
        memberships: rows::<membership::Entity>(state).await,
        membership_services: rows::<membership_service::Entity>(state).await,
        attachment_requests: rows::<attachment_request::Entity>(state).await,
        attachment_request_services: rows::<attachment_request_service::Entity>(state).await,
        totp_apps: rows::<totp_app::Entity>(state).await,
        security_keys: rows::<security_key::Entity>(state).await,
        user_tokens: rows::<user_token::Entity>(state).await,
        recovery_codes: rows::<recovery_code::Entity>(state).await,
        profiles: rows::<profile::Entity>(state).await,
        profile_requests: rows::<profile_request::Entity>(state).await,
        invitations: rows::<invitation::Entity>(state).await,
        address_changes: rows::<address_change::Entity>(state).await,
        notification_topics: rows::<notification_topic::Entity>(state).await,
        profile_photos: rows::<profile_photo::Entity>(state).await,
        support_tickets: rows::<support_ticket::Entity>(state).await,
        ticket_messages: rows::<ticket_message::Entity>(state).await,
        technical_users: rows::<technical_user::Entity>(state).await,
        api_clients: rows::<api_client::Entity>(state).await,
    }
}

/// A structure with a service, a technical user and an API client, its
/// primary manager (the caller of the suite, also Support), a member at
/// service level, a pending request, and a second user with an
/// authenticator app, a security key and a recovery code: every business
/// table has rows to protect.
async fn seed(backend: &common::TestDb) -> (AppState, user::Model) {
    let mut state = backend.state();
    std::sync::Arc::make_mut(&mut state.settings).support.logins = vec!["lea@example.fr".into()];
    server::directory::load_sample_if_empty(&state.db)
        .await
        .unwrap();
    let owner = common::active_user(&state, "lea@example.fr").await;
    let member = common::active_user(&state, "ines@example.fr").await;
    let other = common::active_user(&state, "zoe@example.fr").await;
    let form = validate_structure(&StructureInput {
        identifier_type: "ue_hors_france".into(),
        identifier: EXISTING_IDENTIFIER.into(),
        name: "Muster GmbH".into(),
        ..Default::default()
    })
    .unwrap();
    let structure = structures::create(&state, &owner, &form, IP).await.unwrap();
    let new_service = check_service("ACHATS", "Service achats").unwrap();
    let achats = services::add(&state, owner.id, structure.id, &new_service)
        .await
        .unwrap();
    let asked = check_request("Comptable", true, &[achats.id]).unwrap();
    let request = attachments::request(&state, &member, structure.id, &asked, IP)
        .await
        .unwrap()
        .request;
    approvals::decide(&state, &owner, request.id, RequestEvent::Approve, None, IP)
        .await
        .unwrap();
    let whole = check_request("Bonjour", false, &[]).unwrap();
    attachments::request(&state, &other, structure.id, &whole, IP)
        .await
        .unwrap();
    let now = state.clock.now();
    totp_app::ActiveModel {
        user_id: Set(other.id),
        name: Set("Téléphone".into()),
        secret: Set("JBSWY3DPEHPK3PXP".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap();
    security_key::ActiveModel {
        user_id: Set(other.id),
        name: Set("Clé".into()),
        credential_id: Set("AAAA".into()),
        credential: Set("{}".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap();
    recovery_code::ActiveModel {
        user_id: Set(other.id),
        code_hash: Set("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap();
    // The structure's technical user and an API client (issue 17).
    app::backend::technical::create(&state, owner.id, structure.id, IP)
        .await
        .unwrap();
    app::backend::technical::clients::create(&state, owner.id, structure.id, IP)
        .await
        .unwrap();
    (state, owner)
}

/// The router, the caller's account, and what the suite saw.
struct Suite {
    router: Router,
    state: AppState,
    user: user::Model,
    /// The business data as the last check left it.
    data: Snapshot,
    sent: usize,
    /// No-JavaScript posts answered with a redirect (their error in the URL).
    redirects: usize,
    /// Answers with a 2xx status that changed business data: valid input
    /// (an identifier such as `TRUE` is a well-formed VAT number), reported.
    accepted_changes: Vec<String>,
    failures: Vec<String>,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    /// server_fn's answer to arguments that do not deserialise.
    fn undeserialisable(&self) -> bool {
        self.status == StatusCode::BAD_REQUEST
            && serde_json::from_slice::<AppError>(&self.body).ok()
                == Some(AppError::invalid("request"))
    }
}

impl Suite {
    async fn new(state: &AppState, user: user::Model) -> Suite {
        Suite {
            router: server::router(state.clone(), common::http::options(), false),
            state: state.clone(),
            user,
            data: snapshot(state).await,
            sent: 0,
            redirects: 0,
            accepted_changes: Vec::new(),
            failures: Vec::new(),
        }
    }

    async fn cookie(&self, caller: Caller) -> Option<String> {
        let now = self.state.clock.now();
        let session = match caller {
            Caller::Anonymous => return None,
            Caller::AwaitingSecondFactor => SessionState::AwaitingSecondFactor {
                user_id: self.user.id,
                password_at: now,
                code_sends: 0,
            },
            Caller::LoggedIn => SessionState::logged_in(self.user.id, now, Factor::Totp),
        };
        let lifetimes = Lifetimes::from_settings(&self.state.settings);
        let token = sessions::create(&self.state.db, &session, lifetimes, now)
            .await
            .unwrap();
        Some(format!("portal_session={}", token.expose()))
    }

    /// Sends `call` as `caller` (a fresh session each time: a call may end
    /// it) and records a 5xx as a failure.
    async fn send(&mut self, caller: Caller, call: Call, what: &str) -> Answer {
        let mut request = Request::builder().method(call.method).uri(&call.uri);
        if !call.headers.iter().any(|(name, _)| name == header::ACCEPT) {
            request = request.header(header::ACCEPT, JSON);
        }
        if let Some(content_type) = call.content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        if let Some(cookie) = self.cookie(caller).await {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in call.headers {
            request = request.header(name, value);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::from(call.body)).unwrap())
            .await
            .unwrap();
        self.sent += 1;
        let (parts, body) = response.into_parts();
        let answer = Answer {
            status: parts.status,
            headers: parts.headers,
            body: body.collect().await.unwrap().to_bytes(),
        };
        let excerpt = String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]);
        let what = format!("{what}: {} {excerpt}", answer.status);
        if answer.status.is_server_error() {
            self.failures
                .push(format!("{} {caller:?} {what}", call.uri));
        }
        // A request refused before any function ran cannot change data; the
        // others are checked one by one.
        let refused_early = answer.undeserialisable()
            || answer.status == StatusCode::PAYLOAD_TOO_LARGE
            || answer.status == StatusCode::METHOD_NOT_ALLOWED;
        if !refused_early {
            let accepted = answer.status.is_success() || answer.status.is_redirection();
            self.check_data(&call.uri, caller, &what, accepted).await;
        }
        answer
    }

    /// Compares the business data with the last check: a change is a
    /// failure unless the request was `accepted`.
    async fn check_data(&mut self, path: &str, caller: Caller, what: &str, accepted: bool) {
        let now = snapshot(&self.state).await;
        let changes = now.changes_from(&self.data);
        if changes.is_empty() {
            return;
        }
        let report = format!("{path} {caller:?} {what}\nchanged {}", changes.join("\n"));
        if accepted {
            self.accepted_changes.push(report);
        } else {
            self.failures.push(report);
        }
        self.data = now;
    }

    /// Which encoding a function reads and which leaves of [`arguments`]
    /// it reads: `None` if the tree lacks one of its arguments.
    async fn learn(&mut self, path: &str) -> Option<(Encoding, Vec<Leaf>)> {
        let all = arguments();
        let mut encoding = None;
        for candidate in [Encoding::Form, Encoding::Json] {
            let call = Call::post(path, candidate.content_type(), candidate.render(&all));
            if !self
                .send(Caller::Anonymous, call, "probe")
                .await
                .undeserialisable()
            {
                encoding = Some(candidate);
                break;
            }
        }
        let encoding = encoding?;
        let mut read = Vec::new();
        for leaf in leaves(&all) {
            let probed = with(&all, &leaf, Some(&probe()));
            let call = Call::post(path, encoding.content_type(), encoding.render(&probed));
            if self
                .send(Caller::Anonymous, call, "probe")
                .await
                .undeserialisable()
            {
                read.push(leaf);
            }
        }
        Some((encoding, read))
    }

    /// Every leaf the function reads, missing and with each hostile value.
    async fn mutate(&mut self, path: &str, caller: Caller, encoding: Encoding, read: &[Leaf]) {
        let all = arguments();
        let json = encoding == Encoding::Json;
        for leaf in read {
            let name = leaf.join(".");
            let missing = with(&all, leaf, None);
            let call = Call::post(path, encoding.content_type(), encoding.render(&missing));
            self.send(caller, call, &format!("{name} missing")).await;
            for (what, value) in hostile(json) {
                let body = encoding.render(&with(&all, leaf, Some(&value)));
                let call = Call::post(path, encoding.content_type(), body);
                self.send(caller, call, &format!("{name}: {what}")).await;
            }
        }
    }

    /// What every function gets, whatever its arguments.
    async fn generic(&mut self, path: &str, caller: Caller, encoding: Option<Encoding>) {
        let all = arguments();
        let (form, json) = (to_form(&all), to_json(&all));
        let own = encoding.unwrap_or(Encoding::Form).render(&all);
        let html_post = Call::post(path, FORM, form.clone())
            .header(header::REFERER, "http://localhost:3000/connexion");
        let mut cases = vec![
            ("base as a form", Call::post(path, FORM, form.clone())),
            ("base as JSON", Call::post(path, JSON, json.clone())),
            ("form declared JSON", Call::post(path, JSON, form.clone())),
            ("JSON declared a form", Call::post(path, FORM, json.clone())),
            ("empty form", Call::post(path, FORM, "")),
            ("empty JSON", Call::post(path, JSON, "")),
            (
                "truncated JSON",
                Call::post(path, JSON, "{\"login_email\":"),
            ),
            ("JSON null", Call::post(path, JSON, "null")),
            ("JSON list", Call::post(path, JSON, "[1,2]")),
            ("JSON string", Call::post(path, JSON, "\"x&name=y\"")),
            (
                "JSON lone surrogate",
                Call::post(path, JSON, r#"{"\ud800":"\udfff"}"#),
            ),
            (
                "JSON escaped NUL",
                Call::post(path, JSON, r#"{"name":"\u0000"}"#),
            ),
            ("deep JSON", Call::post(path, JSON, "[".repeat(10_000))),
            (
                "raw NUL byte",
                Call::post(path, FORM, b"name=a\0b".to_vec()),
            ),
            (
                "invalid UTF-8",
                Call::post(path, FORM, b"\xff\xfe\xed\xa0\x80=\xc3".to_vec()),
            ),
            ("text/plain", Call::post(path, "text/plain", own.clone())),
            ("XML", Call::post(path, "application/xml", "<a>1</a>")),
            (
                "multipart",
                Call::post(path, "multipart/form-data; boundary=x", "--x\r\n\r\n--x--"),
            ),
            (
                "octet-stream",
                Call::post(path, "application/octet-stream", vec![0u8, 159, 146, 150]),
            ),
            (
                "UTF-16 charset",
                Call::post(
                    path,
                    "application/x-www-form-urlencoded; charset=utf-16",
                    own.clone(),
                ),
            ),
            (
                "odd content type",
                Call::post(path, "ünïcödé/ÿ", own.clone()),
            ),
            (
                "100 KB body",
                Call::post(path, FORM, format!("a={}", "a".repeat(100_000))),
            ),
            (
                "100 KB body, declared length",
                Call::post(path, FORM, "a".repeat(100_000))
                    .header(header::CONTENT_LENGTH, "100000"),
            ),
            ("NUL in the query", {
                let mut call = Call::post(path, FORM, own.clone());
                call.uri = format!("{path}?x=%00");
                call
            }),
            ("arguments in the query", {
                let mut call = Call::post(path, FORM, "");
                call.uri = format!("{path}?{form}");
                call
            }),
            ("GET", {
                let mut call = Call::post(path, FORM, "");
                call.method = Method::GET;
                call.uri = format!("{path}?{form}");
                call
            }),
            ("PUT", {
                let mut call = Call::post(path, FORM, form.clone());
                call.method = Method::PUT;
                call
            }),
        ];
        if caller == Caller::Anonymous {
            for (what, cookie) in [
                ("NUL cookie", b"portal_session=%00".to_vec()),
                (
                    "long cookie",
                    format!("portal_session={}", "a".repeat(4000)).into_bytes(),
                ),
                ("non-ASCII cookie", "portal_session=é€".as_bytes().to_vec()),
                (
                    "cookie twice",
                    b"portal_session=a; portal_session=b".to_vec(),
                ),
                ("https cookie name", b"__Host-portal_session=a".to_vec()),
            ] {
                cases.push((
                    what,
                    Call::post(path, FORM, own.clone()).header(header::COOKIE, cookie),
                ));
            }
        }
        // Every leaf at once, for the functions whose names the tree lacks.
        for (what, value) in [
            ("every leaf odd", text("\u{202E}e\u{301}😀 ١٢٣")),
            ("every leaf controls", text("\u{1}\u{1b}")),
            ("every leaf -1", text("-1")),
        ] {
            let mut odd = all.clone();
            for leaf in leaves(&all) {
                odd = with(&odd, &leaf, Some(&value));
            }
            cases.push((what, Call::post(path, FORM, to_form(&odd))));
            cases.push((what, Call::post(path, JSON, to_json(&odd))));
        }
        for (what, call) in cases {
            self.send(caller, call, what).await;
        }
        // Without JavaScript: the error travels back in the redirect.
        let answer = self
            .send(
                caller,
                html_post.header(header::ACCEPT, "text/html"),
                "form post",
            )
            .await;
        if let Some(location) = answer.headers.get(header::LOCATION) {
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            let error = location
                .split_once('?')
                .map(|(_, query)| form_urlencoded::parse(query.as_bytes()))
                .and_then(|mut pairs| pairs.find(|(key, _)| key == "__err"))
                .map(|(_, error)| ServerFnUrlError::<AppError>::decode_err(&error));
            if error == Some(AppError::Internal) {
                self.failures
                    .push(format!("{path} {caller:?} form post: {location}"));
            }
            self.redirects += 1;
        }
    }
}

#[tokio::test]
async fn bad_input_to_every_server_function_is_refused_and_changes_nothing() {
    let mut functions: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    functions.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        functions.len() > 30,
        "the registry lists {}",
        functions.len()
    );
    let failures = Mutex::new(Vec::new());
    common::on_every_backend(async |backend| {
        let (state, user) = seed(backend).await;
        let mut suite = Suite::new(&state, user).await;
        let before = snapshot(&state).await;
        let mut generic_only = Vec::new();
        let mut read_leaves = Vec::new();
        for (path, method) in &functions {
            // The portal's functions are POSTs; another method's arguments
            // travel in the query, which only the generic cases try.
            let learnt = if *method == Method::POST {
                suite.learn(path).await
            } else {
                None
            };
            match &learnt {
                Some((_, read)) => read_leaves.push(format!(
                    "{path}({})",
                    read.iter()
                        .map(|l| l.join("."))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                None => generic_only.push(path.clone()),
            }
            for caller in [
                Caller::Anonymous,
                Caller::AwaitingSecondFactor,
                Caller::LoggedIn,
            ] {
                if let Some((encoding, read)) = &learnt {
                    suite.mutate(path, caller, *encoding, read).await;
                }
                let encoding = learnt.as_ref().map(|(encoding, _)| *encoding);
                suite.generic(path, caller, encoding).await;
                // Each request was checked as it was answered; this also
                // sees work done after an answer.
                suite
                    .check_data(path, caller, "after its battery", false)
                    .await;
            }
        }
        println!(
            "[{}] {} requests to {} server functions, {} no-JavaScript posts redirected; \
             arguments read: {}; generic cases only: {generic_only:?}",
            backend.name,
            suite.sent,
            functions.len(),
            suite.redirects,
            read_leaves.join(" ")
        );
        for change in &suite.accepted_changes {
            println!("[{}] accepted, and changed data: {change}", backend.name);
        }
        if suite.accepted_changes.is_empty() {
            assert_eq!(snapshot(&state).await, before, "[{}]", backend.name);
        }
        let mut failures = failures.lock().unwrap();
        failures.extend(
            suite
                .failures
                .iter()
                .map(|f| format!("[{}] {f}", backend.name)),
        );
    })
    .await;
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Text that would be stored or looked up as sent, everything else valid:
/// a control character is refused with the field's own message, a NUL with
/// the generic one (the NUL guard answers first), and nothing changes. On
/// PostgreSQL, a NUL that reached a query was a 500.
#[tokio::test]
async fn control_characters_in_text_that_would_be_stored_are_refused() {
    let failures = Mutex::new(Vec::new());
    common::on_every_backend(async |backend| {
        let (state, owner) = seed(backend).await;
        let stranger = common::active_user(&state, "max@example.fr").await;
        let structure = rows::<structure::Entity>(&state).await.remove(0).id;
        let pending = rows::<attachment_request::Entity>(&state)
            .await
            .into_iter()
            .find(|request| request.decided_at.is_none())
            .unwrap()
            .id;
        let comment = json!({"RequestForm": {"Comment": "InvalidCharacters"}});
        let structure_form = "input[identifier_type]=autre&input[identifier]=X-1\
                              &input[label]=&input[email]=&input[phone]=&input[name]=";
        let signup_form = "challenge=00&nonce=1&input[login_email]=marie@example.fr\
                           &input[login_email_confirmation]=marie@example.fr\
                           &input[first_name]=Marie&input[phone]=&input[contact_email]=\
                           &input[last_name]=";
        // Who, the path, the form up to the text, the refusal of a control
        // character.
        let cases = [
            (
                &stranger,
                Caller::LoggedIn,
                "/api/request-attachment",
                format!("structure_id={structure}&comment="),
                comment.clone(),
            ),
            (
                &owner,
                Caller::LoggedIn,
                "/api/decide-request",
                format!("request_id={pending}&approve=false&reason="),
                comment,
            ),
            (
                &owner,
                Caller::LoggedIn,
                "/api/service-add",
                format!("structure_id={structure}&code=VENTES&label="),
                json!("ServiceInvalid"),
            ),
            (
                &owner,
                Caller::LoggedIn,
                "/api/structure-create",
                structure_form.to_owned(),
                json!({"StructureFields": [["Name", {"Field": "InvalidCharacters"}]]}),
            ),
            (
                &owner,
                Caller::Anonymous,
                "/api/sign-up",
                signup_form.to_owned(),
                json!({"Fields": [["LastName", "InvalidCharacters"]]}),
            ),
            (
                &owner,
                Caller::Anonymous,
                "/api/login",
                format!("password={}&login_email=", common::PASSWORD),
                json!("BadCredentials"),
            ),
            (
                &owner,
                Caller::LoggedIn,
                "/api/structure-search",
                "page=0&query=".to_owned(),
                json!({"InvalidInput": {"field": "query"}}),
            ),
        ];
        let mut suite = Suite::new(&state, owner.clone()).await;
        let nul = json!({"InvalidInput": {"field": "request"}});
        for (user, caller, path, form, refusal) in cases {
            suite.user = user.clone();
            // The NUL first: it was the 500, and it must not be hidden by a
            // refusal that an accepted request would cause.
            for (text, expected) in [
                ("Mu%00ster", &nul),
                ("Mu%01ster", &refusal),
                ("Mu%1Bster%7F", &refusal),
            ] {
                let call = Call::post(path, FORM, format!("{form}{text}"));
                let answer = suite.send(caller, call, text).await;
                let body: serde_json::Value =
                    serde_json::from_slice(&answer.body).unwrap_or_default();
                if !answer.status.is_client_error() || body != *expected {
                    suite.failures.push(format!(
                        "{path} {text}: {} {body}, expected {expected}",
                        answer.status
                    ));
                }
            }
        }
        let mut failures = failures.lock().unwrap();
        failures.extend(
            suite
                .failures
                .iter()
                .map(|f| format!("[{}] {f}", backend.name)),
        );
    })
    .await;
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
