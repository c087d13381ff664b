//! The authorisation matrix (rule H6): every server function of the
//! product, called over HTTP by each kind of caller, on every backend.
//!
//! The callers are the primary manager of a structure, one of its managers,
//! a member holding only *consultation* profiles, the primary manager of
//! another structure, a manager of the structure whose access was
//! suspended, a Support agent (not attached to the structure) and an
//! anonymous visitor. Each call runs on a fresh fixture (a call may change
//! what the next one sees: a transfer, a removal), and its answer is read
//! as what the gate said:
//!
//! - `Login`: not logged in (`NotLoggedIn`);
//! - `Hide`: the target does not exist for the caller (`NotFound`);
//! - `Deny`: the caller may not (`NotAllowed`, or the area's "not a
//!   manager" / "not the primary manager" refusals);
//! - `Pass`: the gate let the call through: a success, or a refusal of the
//!   business rules (a transfer to an ineligible user, a wrong code).
//!
//! The functions come from server_fn's registry: one without a row fails
//! the test, and so does a row whose function no longer exists. Arguments
//! that do not deserialise fail it too (a row must reach the gate), and so
//! does any 5xx.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

#[path = "bad_input/bodies.rs"]
#[allow(dead_code)] // the matrix uses only the tree and its renderings
mod bodies;
mod common;
#[path = "authorisation_matrix/fixture.rs"]
mod fixture;

use Node::{Bool, Int, List};
use app::domain::authorisations::{ProfileRefusal, TransferRefusal};
use app::domain::technical::TechnicalRefusal;
use app::error::AppError;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bodies::{Node, map, text, to_form, to_json};
use fixture::{Fixture, PERSONAS, PHOTO_FORM_TYPE, Shared, photo_form};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// What the gate said to one caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Pass,
    Deny,
    Hide,
    Login,
}
use Seen::*;

/// Expectations, in the order of [`PERSONAS`]: primary manager, manager,
/// consultation-only member, member of another structure, suspended
/// manager, Support, anonymous.
type Expected = [Seen; 7];

/// Anyone, logged in or not.
const EVERYONE: Expected = [Pass; 7];
/// Anyone logged in.
const LOGGED_IN: Expected = [Pass, Pass, Pass, Pass, Pass, Pass, Login];
/// The structure's managers; a member is refused, whoever is not attached
/// (or is suspended) learns nothing of the structure.
const MANAGERS: Expected = [Pass, Pass, Deny, Hide, Hide, Hide, Login];
/// The structure's primary manager only.
const PRIMARY: Expected = [Pass, Deny, Deny, Hide, Hide, Hide, Login];
/// Support only.
const SUPPORT: Expected = [Deny, Deny, Deny, Deny, Deny, Pass, Login];
/// Things of another user (a key, a session, a request): nobody else's.
const SOMEONE_ELSES: Expected = [Hide, Hide, Hide, Hide, Hide, Hide, Login];
/// The caller's own thing, which none of the fixture's callers has (an
/// authenticator app to remove): nothing to act on.
const NOTHING_OF_THEIRS: Expected = [Hide, Hide, Hide, Hide, Hide, Hide, Login];
/// The structure's attached users (its services): whoever is not attached
/// (or is suspended) learns nothing of it.
const ATTACHED: Expected = [Pass, Pass, Pass, Hide, Hide, Hide, Login];
/// The login steps after the password: they need a login in progress,
/// which a fully logged-in caller has not (they answer as to a visitor).
const LOGIN_STEP: Expected = [Login; 7];

/// Functions whose arguments server_fn reads as JSON.
const JSON_INPUT: [&str; 2] = ["key-finish", "key-login-finish"];

/// Functions whose input is a multipart form (`fixture::photo_form`).
const MULTIPART_INPUT: [&str; 1] = ["upload-photo"];

/// Every server function: its endpoint, its arguments on a fixture, and
/// what each caller sees.
fn matrix(fx: &Fixture) -> Vec<(&'static str, Node, Expected)> {
    let structure = || ("structure_id", Int(fx.structure.into()));
    let subject = || ("user_id", Int(fx.subject.into()));
    let page = || map(&[("page", Int(0))]);
    let none = || map(&[]);
    vec![
        // The account's lifecycle, before any login.
        ("captcha", none(), EVERYONE),
        (
            "sign-up",
            map(&[
                (
                    "input",
                    map(&[
                        ("login_email", text("nouveau@example.fr")),
                        ("login_email_confirmation", text("nouveau@example.fr")),
                        ("last_name", text("Curie")),
                        ("first_name", text("Marie")),
                        ("phone", text("")),
                        ("contact_email", text("")),
                    ]),
                ),
                ("challenge", text("00")),
                ("nonce", Int(1)),
            ]),
            EVERYONE,
        ),
        (
            "send-ticket",
            map(&[
                (
                    "input",
                    map(&[
                        ("situation", text("autre")),
                        ("email", text("question@example.fr")),
                        ("email_confirmation", text("question@example.fr")),
                        ("login_address", text("")),
                        ("description", text("Une vraie question.")),
                    ]),
                ),
                ("challenge", text("00")),
                ("nonce", Int(1)),
            ]),
            EVERYONE,
        ),
        ("check-link", map(&[("token", text("jeton"))]), EVERYONE),
        (
            "set-password",
            map(&[
                ("token", text("jeton")),
                ("password", text("Abcdefgh1!xy")),
                ("confirmation", text("Abcdefgh1!xy")),
            ]),
            EVERYONE,
        ),
        (
            "forgot-password",
            map(&[("login_email", text("nobody@example.fr"))]),
            EVERYONE,
        ),
        ("logout", none(), EVERYONE),
        ("me", none(), EVERYONE),
        ("preferences", map(&[("language", text("en"))]), EVERYONE),
        (
            "login",
            map(&[
                ("login_email", text("nobody@example.fr")),
                ("password", text("Pas-le-bon-1!")),
            ]),
            EVERYONE,
        ),
        ("verify-code", map(&[("code", text("000000"))]), LOGIN_STEP),
        ("resend-code", none(), LOGIN_STEP),
        (
            "verify-app-code",
            map(&[("code", text("000000"))]),
            LOGIN_STEP,
        ),
        (
            "verify-recovery-code",
            map(&[("code", text("AAAA-BBBB"))]),
            LOGIN_STEP,
        ),
        ("key-login-start", none(), LOGIN_STEP),
        (
            "key-login-finish",
            map(&[("credential", fixture::assertion())]),
            LOGIN_STEP,
        ),
        // The caller's own account and factors.
        ("factors", none(), LOGGED_IN),
        (
            "reauthenticate",
            map(&[("password", text("Pas-le-bon-1!"))]),
            LOGGED_IN,
        ),
        (
            "change-password",
            map(&[
                ("current", text("Pas-le-bon-1!")),
                ("password", text("Abcdefgh1!xy")),
                ("confirmation", text("Abcdefgh1!xy")),
            ]),
            LOGGED_IN,
        ),
        ("app-start", none(), LOGGED_IN),
        (
            "app-add",
            map(&[("name", text("Téléphone")), ("code", text("000000"))]),
            LOGGED_IN,
        ),
        ("app-remove", none(), NOTHING_OF_THEIRS),
        ("key-start", none(), LOGGED_IN),
        (
            "key-finish",
            map(&[
                ("name", text("Clé")),
                ("credential", fixture::attestation()),
            ]),
            LOGGED_IN,
        ),
        (
            "key-rename",
            map(&[("id", Int(fx.subject_key.into())), ("name", text("Volée"))]),
            SOMEONE_ELSES,
        ),
        (
            "key-remove",
            map(&[("id", Int(fx.subject_key.into()))]),
            SOMEONE_ELSES,
        ),
        ("recovery", none(), LOGGED_IN),
        ("recovery-codes", none(), LOGGED_IN),
        (
            "email-code-setting",
            map(&[("refused", Bool(false))]),
            LOGGED_IN,
        ),
        ("my-sessions", none(), LOGGED_IN),
        (
            "end-session",
            map(&[("id", text(&fx.subject_session))]),
            SOMEONE_ELSES,
        ),
        ("end-other-sessions", none(), LOGGED_IN),
        // The login address (rule P6): the caller's own; the link's token is
        // the proof, whoever opens it.
        ("address-change", none(), LOGGED_IN),
        (
            "request-address-change",
            map(&[
                ("new_address", text("ailleurs@example.fr")),
                ("confirmation", text("ailleurs@example.fr")),
            ]),
            LOGGED_IN,
        ),
        // Mon compte (rule P1): the caller's own account.
        ("my-account", none(), LOGGED_IN),
        (
            "save-account-field",
            map(&[("field", text("Biography")), ("value", text("Bonjour"))]),
            LOGGED_IN,
        ),
        (
            "request-contact-change",
            map(&[
                ("new_address", text("contact@example.org")),
                ("confirmation", text("contact@example.org")),
            ]),
            LOGGED_IN,
        ),
        (
            "account-preferences",
            map(&[
                ("language", text("fr")),
                ("accessibility", text("off")),
                ("survey_consent", Bool(true)),
            ]),
            LOGGED_IN,
        ),
        ("save-notifications", map(&[("topics", Int(8))]), LOGGED_IN),
        // The profile photo (rule P1): the caller's own; the upload is a
        // multipart form (`MULTIPART_INPUT`), its arguments unused.
        ("upload-photo", none(), LOGGED_IN),
        ("remove-photo", none(), LOGGED_IN),
        // Deactivation (rule P5): the caller's own account; the primary
        // manager is refused for want of a successor, the others for a
        // wrong password (each has passed the gate).
        ("deactivation-check", none(), LOGGED_IN),
        (
            "deactivate-account",
            map(&[
                ("confirmed", Bool(true)),
                ("password", text("Mauvais-1!xyz")),
            ]),
            LOGGED_IN,
        ),
        (
            "confirm-address-change",
            map(&[("token", text("jeton"))]),
            EVERYONE,
        ),
        // Structures and attachments, from the caller's side.
        (
            "siret",
            map(&[("siret", text("90100001800019"))]),
            LOGGED_IN,
        ),
        (
            "structure-create",
            map(&[(
                "input",
                map(&[
                    ("identifier_type", text("hors_ue")),
                    ("identifier", text("MATRIX-NEW")),
                    ("name", text("Nouvelle")),
                    ("label", text("")),
                    ("email", text("")),
                    ("phone", text("")),
                ]),
            )]),
            LOGGED_IN,
        ),
        (
            "my-structures",
            map(&[("page", Int(0)), ("per_page", Int(5))]),
            LOGGED_IN,
        ),
        (
            "structure-search",
            map(&[("query", text("Matrice")), ("page", Int(0))]),
            LOGGED_IN,
        ),
        ("request-services", map(&[structure()]), LOGGED_IN),
        (
            "request-attachment",
            map(&[structure(), ("comment", text("Bonjour"))]),
            LOGGED_IN,
        ),
        ("request-history", page(), LOGGED_IN),
        (
            "request-cancel",
            map(&[("request_id", Int(fx.attachment_request.into()))]),
            SOMEONE_ELSES,
        ),
        ("my-attachments", page(), LOGGED_IN),
        // Leaving: any attached user, a suspended one too; the others are
        // told the structure is not theirs.
        (
            "detach",
            map(&[structure()]),
            [Pass, Pass, Pass, Hide, Pass, Hide, Login],
        ),
        ("my-authorisations", page(), LOGGED_IN),
        ("my-profile-requests", page(), LOGGED_IN),
        // What the structure's managers do.
        ("pending-requests", page(), LOGGED_IN),
        (
            "decide-request",
            map(&[
                ("request_id", Int(fx.attachment_request.into())),
                ("approve", Bool(true)),
                ("reason", text("")),
            ]),
            MANAGERS,
        ),
        ("pending-profile-requests", page(), LOGGED_IN),
        (
            "decide-profile-request",
            map(&[
                ("request_id", Int(fx.profile_request.into())),
                ("approve", Bool(true)),
            ]),
            MANAGERS,
        ),
        ("member-profiles", map(&[structure(), subject()]), MANAGERS),
        (
            "set-profiles",
            map(&[
                structure(),
                subject(),
                (
                    "levels",
                    List(vec![map(&[
                        ("application", text("organisation")),
                        ("level", text("Modification")),
                    ])]),
                ),
            ]),
            MANAGERS,
        ),
        (
            "structure-members",
            map(&[
                structure(),
                ("page", Int(0)),
                ("per_page", Int(5)),
                (
                    "listing",
                    map(&[
                        ("filter", text("")),
                        ("sort", text("LastName")),
                        ("descending", Bool(false)),
                    ]),
                ),
            ]),
            MANAGERS,
        ),
        (
            "member-action",
            map(&[
                structure(),
                ("user_ids", List(vec![Int(fx.subject.into())])),
                ("action", text("Deactivate")),
            ]),
            MANAGERS,
        ),
        (
            "add-structure-user",
            map(&[structure(), ("login_email", text("invite@example.fr"))]),
            MANAGERS,
        ),
        (
            "transfer-structure",
            map(&[structure(), subject()]),
            PRIMARY,
        ),
        ("primary-structures", none(), LOGGED_IN),
        // The technical account and the API clients (issue 17): any
        // attached user sees the technical user; only the primary manager
        // acts, and lists the clients.
        ("technical-structures", none(), LOGGED_IN),
        ("technical-account", map(&[structure()]), ATTACHED),
        ("technical-create", map(&[structure()]), PRIMARY),
        ("technical-propose", map(&[structure()]), PRIMARY),
        (
            "technical-submit",
            map(&[
                structure(),
                ("password", text("Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-")),
            ]),
            PRIMARY,
        ),
        ("technical-reset", map(&[structure()]), PRIMARY),
        (
            "technical-status",
            map(&[structure(), ("status", text("Inactive"))]),
            PRIMARY,
        ),
        ("api-clients", map(&[structure()]), PRIMARY),
        ("api-client-create", map(&[structure()]), PRIMARY),
        (
            "api-client-revoke",
            map(&[structure(), ("id", Int(fx.api_client.into()))]),
            PRIMARY,
        ),
        // Any primary manager (the other structure's too: the subject is
        // not attached there, which the business rules refuse).
        (
            "transfer-all-structures",
            map(&[("login_email", text(&fx.subject_email))]),
            [Pass, Deny, Deny, Pass, Deny, Deny, Login],
        ),
        ("services", map(&[structure()]), ATTACHED),
        (
            "service-add",
            map(&[
                structure(),
                ("code", text("ACHATS")),
                ("label", text("Service achats")),
            ]),
            MANAGERS,
        ),
        (
            "service-active",
            map(&[
                structure(),
                ("service_id", Int(fx.service.into())),
                ("active", Bool(false)),
            ]),
            MANAGERS,
        ),
        // Support.
        ("awaiting-structures", page(), SUPPORT),
        (
            "approve-structure",
            map(&[("structure_id", Int(fx.awaiting.into()))]),
            SUPPORT,
        ),
        (
            "support-tickets",
            map(&[
                ("status", text("open")),
                ("situation", text("")),
                ("search", text("")),
                ("page", Int(0)),
            ]),
            SUPPORT,
        ),
        (
            "support-ticket",
            map(&[("id", Int(fx.ticket.into()))]),
            SUPPORT,
        ),
        (
            "reply-ticket",
            map(&[
                ("id", Int(fx.ticket.into())),
                ("reply", text("Bonjour, voici la marche à suivre.")),
            ]),
            SUPPORT,
        ),
        (
            "unblock-account",
            map(&[
                ("id", Int(fx.ticket.into())),
                ("new_address", text("debloque@example.fr")),
            ]),
            SUPPORT,
        ),
        (
            "move-ticket",
            map(&[("id", Int(fx.ticket.into())), ("act", text("Close"))]),
            SUPPORT,
        ),
        (
            "reject-structure",
            map(&[
                ("structure_id", Int(fx.awaiting.into())),
                ("reason", text("Ce n’est pas une entité publique.")),
            ]),
            SUPPORT,
        ),
        (
            "audit-log",
            map(&[
                ("user", text(&fx.subject_email)),
                ("structure", text("")),
                ("event", text("")),
                ("from", text("")),
                ("to", text("")),
                ("before", text("")),
            ]),
            SUPPORT,
        ),
        (
            "support-account",
            map(&[("address", text(&fx.subject_email))]),
            SUPPORT,
        ),
        (
            "set-account-active",
            map(&[
                ("user_id", Int(fx.subject.into())),
                ("active", Bool(false)),
                ("reason", text("Usurpation signalée")),
            ]),
            SUPPORT,
        ),
    ]
}

/// What the answer says of the gate; `Err` for an answer no row may get.
fn seen(status: StatusCode, body: &[u8]) -> Result<Seen, String> {
    let excerpt = || String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    if status.is_server_error() {
        return Err(format!("{status} {}", excerpt()));
    }
    if status.is_success() || status.is_redirection() {
        return Ok(Pass);
    }
    let Ok(error) = serde_json::from_slice::<AppError>(body) else {
        return Err(format!("{status} is no AppError: {}", excerpt()));
    };
    Ok(match error {
        AppError::NotLoggedIn => Login,
        AppError::NotFound => Hide,
        AppError::NotAllowed
        | AppError::Profile(ProfileRefusal::NotManager)
        | AppError::Transfer(TransferRefusal::NotPrimaryManager)
        | AppError::Technical(TechnicalRefusal::NotPrimaryManager) => Deny,
        AppError::InvalidInput { field } if field == "request" => {
            return Err(format!(
                "the row's arguments do not deserialise: {}",
                excerpt()
            ));
        }
        _ => Pass,
    })
}

#[tokio::test]
async fn every_server_function_checks_its_caller() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let failures = Mutex::new(Vec::new());
    common::on_every_backend(async |backend| {
        let state = fixture::with_support(backend.state());
        let shared = Shared::new(&state).await;
        let router = server::router(state.clone(), common::http::options(), false);
        let mut serial = 0;
        let rows: Vec<&str> = matrix(&Fixture::new(&state, &shared, serial).await)
            .iter()
            .map(|(endpoint, _, _)| *endpoint)
            .collect();
        let listed: BTreeSet<String> = rows.iter().map(|e| (*e).to_owned()).collect();
        let missing: Vec<_> = registered.difference(&listed).collect();
        let gone: Vec<_> = listed.difference(&registered).collect();
        assert!(
            missing.is_empty() && gone.is_empty(),
            "server functions without a row: {missing:?}; rows without a function: {gone:?}"
        );
        for row in 0..rows.len() {
            for (column, persona) in PERSONAS.iter().enumerate() {
                serial += 1;
                let fx = Fixture::new(&state, &shared, serial).await;
                let (endpoint, args, expected) = matrix(&fx).swap_remove(row);
                let (body, content_type) = if MULTIPART_INPUT.contains(&endpoint) {
                    (photo_form(), PHOTO_FORM_TYPE)
                } else if JSON_INPUT.contains(&endpoint) {
                    (to_json(&args).into_bytes(), "application/json")
                } else {
                    (
                        to_form(&args).into_bytes(),
                        "application/x-www-form-urlencoded",
                    )
                };
                let mut request = Request::post(format!("/api/{endpoint}"))
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::ACCEPT, "application/json");
                if let Some(cookie) = fx.cookie(&state, *persona).await {
                    request = request.header(header::COOKIE, cookie);
                }
                let request = request.body(Body::from(body)).unwrap();
                let (status, _, answer) = common::http::send(&router, request).await;
                let got = seen(status, answer.as_bytes());
                if got != Ok(expected[column]) {
                    failures.lock().unwrap().push(format!(
                        "{endpoint} as {persona:?}: expected {:?}, got {got:?}",
                        expected[column]
                    ));
                }
            }
        }
    })
    .await;
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
