//! The API for accounting software (T4, issue 17), through the router, on
//! every backend: the token both ways RFC 6749 allows, every endpoint in
//! the platform's shapes, and every refusal as JSON with its `codeRetour`,
//! audited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::structures::{self, services};
use app::backend::technical::{self, clients};
use app::domain::structures::check_service;
use app::domain::technical::TechnicalStatus;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::http::{options, send};
use common::{active_user, count_events, outside_the_eu};
use serde_json::{Value, json};
use server::directory::load_sample_if_empty;

const IP: &str = "192.0.2.1";

/// A structure with two services, its technical account and an API client.
struct Fixture {
    router: Router,
    state: AppState,
    structure_id: i32,
    owner_id: i32,
    login: String,
    password: String,
    client_id: String,
    secret: String,
}

async fn fixture(state: AppState, identifier: &str) -> Fixture {
    load_sample_if_empty(&state.db).await.unwrap();
    let owner = active_user(&state, &format!("{}@example.fr", identifier.to_lowercase())).await;
    let structure = structures::create(
        &state,
        &owner,
        &outside_the_eu(identifier, "ACME API LTD"),
        IP,
    )
    .await
    .unwrap();
    for (code, label) in [("VENTES", "Ventes"), ("ACHATS", "Achats")] {
        services::add(
            &state,
            owner.id,
            structure.id,
            &check_service(code, label).unwrap(),
        )
        .await
        .unwrap();
    }
    let issued = technical::create(&state, owner.id, structure.id, IP)
        .await
        .unwrap();
    let client = clients::create(&state, owner.id, structure.id, IP)
        .await
        .unwrap();
    Fixture {
        router: server::router(state.clone(), options(), false),
        state,
        structure_id: structure.id,
        owner_id: owner.id,
        login: issued.login,
        password: issued.password.expose().to_owned(),
        client_id: client.client_id,
        secret: client.secret.expose().to_owned(),
    }
}

fn token_request(body: &str, basic: Option<(&str, &str)>) -> Request<Body> {
    let mut request = Request::post("/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        let encoded = STANDARD.encode(format!("{id}:{secret}"));
        request = request.header(header::AUTHORIZATION, format!("Basic {encoded}"));
    }
    request.body(Body::from(body.to_owned())).unwrap()
}

async fn token(f: &Fixture) -> String {
    let body = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=openid",
        f.client_id, f.secret
    );
    let (status, _, text) = send(&f.router, token_request(&body, None)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    answer["access_token"].as_str().unwrap().to_owned()
}

fn account(login: &str, password: &str) -> String {
    STANDARD.encode(format!("{login}:{password}"))
}

/// A call as the platform's clients send it.
fn call(path: &str, token: &str, account: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("cpro-account", account)
        .header(header::CONTENT_TYPE, "application/json;charset=utf-8")
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn json(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let (status, headers, text) = send(router, request).await;
    let kind = headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap();
    assert!(kind.starts_with("application/json"), "{status}: {kind}");
    (status, serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn a_token_is_granted_with_form_or_basic_credentials_and_refused_otherwise() {
    common::on_every_backend(async |backend| {
        let f = fixture(backend.state(), "API-1").await;
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=openid",
            f.client_id, f.secret
        );
        let (status, headers, text) = send(&f.router, token_request(&form, None)).await;
        assert_eq!(status, StatusCode::OK, "{}: {text}", backend.name);
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(answer["token_type"], "Bearer");
        assert!(answer["expires_in"].as_i64().unwrap() >= 3600);
        assert_eq!(answer["scope"], "openid");
        assert_eq!(answer["access_token"].as_str().unwrap().len(), 32);

        // HTTP Basic (RFC 6749 §2.3.1), no scope.
        let basic = Some((f.client_id.as_str(), f.secret.as_str()));
        let (status, _) = json(
            &f.router,
            token_request("grant_type=client_credentials", basic),
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        let refusals = [
            (
                token_request(
                    "grant_type=client_credentials",
                    Some((&f.client_id, "nope")),
                ),
                401,
                "invalid_client",
            ),
            (
                token_request(&form.replace(&f.secret, &"x".repeat(32)), None),
                401,
                "invalid_client",
            ),
            (
                token_request("grant_type=client_credentials", None),
                401,
                "invalid_client",
            ),
            (
                token_request(&form.replace("client_credentials", "password"), None),
                400,
                "unsupported_grant_type",
            ),
            (
                token_request(&form.replace("openid", "admin"), None),
                400,
                "invalid_scope",
            ),
            (token_request(&form, basic), 400, "invalid_request"),
            (token_request("client_id=a", None), 400, "invalid_request"),
        ];
        let before = count_events(&f.state, "api.refused").await;
        for (request, status, error) in refusals {
            let basic = request.headers().contains_key(header::AUTHORIZATION);
            let (got, headers, text) = send(&f.router, request).await;
            assert_eq!(got.as_u16(), status, "{error}: {text}");
            let answer: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(answer["error"], error);
            if error == "invalid_client" && basic {
                assert!(headers.contains_key(header::WWW_AUTHENTICATE));
            }
        }
        assert_eq!(count_events(&f.state, "api.refused").await, before + 7);
    })
    .await;
}

#[tokio::test]
async fn every_endpoint_answers_in_the_platforms_shapes() {
    common::on_every_backend(async |backend| {
        let f = fixture(backend.state(), "API-2").await;
        let token = token(&f).await;
        let acct = account(&f.login, &f.password);
        let id = f.structure_id;

        let (status, _, text) = send(
            &f.router,
            Request::get("/cpro/transverses/v1/health-check")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["statusCodeValue"], 200);

        // By identifier (nested as the clients send it) and type: one.
        let asked = json!({"structure": {"identifiantStructure": "api-2", "typeIdentifiantStructure": "HORS_UE"}});
        let (status, found) = json(&f.router, call("/cpro/structures/v1/rechercher", &token, &acct, &asked)).await;
        assert_eq!(status, StatusCode::OK, "{}: {found}", backend.name);
        assert_eq!(found["codeRetour"], 0);
        assert_eq!(found["parametresRetour"]["total"], 1);
        let line = &found["listeStructures"][0];
        assert_eq!(line["idStructureCPP"], id);
        assert_eq!(line["identifiantStructure"], "API-2");
        assert_eq!(line["typeIdentifiantStructure"], "HORS_UE");
        assert_eq!(line["designationStructure"], "ACME API LTD");
        // By name, at the top level; and a search that finds nothing.
        let (_, found) = json(&f.router, call("/cpro/structures/v1/rechercher", &token, &acct, &json!({"nomStructure": "acme api"}))).await;
        assert_eq!(found["listeStructures"][0]["idStructureCPP"], id);
        let (status, none) = json(&f.router, call("/cpro/structures/v1/rechercher", &token, &acct, &json!({"structure": {"identifiantStructure": "NOPE"}}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(none["listeStructures"], json!([]));
        assert_eq!(none["parametresRetour"]["total"], 0);

        let (status, read) = json(&f.router, call("/cpro/structures/v1/consulter", &token, &acct, &json!({"idStructureCPP": id, "codeLangue": "fr"}))).await;
        assert_eq!(status, StatusCode::OK, "{read}");
        let general = &read["informationGenerales"];
        assert_eq!(general["raisonSocialeStructure"], "ACME API LTD");
        assert_eq!(general["idStructureCPP"], id);
        assert!(general["dateExpirationMotPasseCompteTech"].is_string());
        assert_eq!(read["parametres"]["nonDiffusibleInsee"], false);
        assert!(!read.to_string().contains("null"), "{read}");

        let asked = json!({"idStructure": id, "parametresRechercherServicesStructure": {"nbResultatsParPage": 1, "pageResultatDemandee": 2}});
        let (status, listed) = json(&f.router, call("/cpro/structures/v1/rechercher/services", &token, &acct, &asked)).await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        assert_eq!(listed["parametresRetour"], json!({"pageCourante": 2, "pages": 2, "nbResultatsParPage": 1, "total": 2}));
        let ventes = &listed["listeServices"][0];
        assert_eq!(ventes["codeService"], "VENTES");
        assert_eq!(ventes["estActif"], true);
        assert_eq!(ventes["statutService"], "ACTIF");

        let asked = json!({"idStructure": id, "idService": ventes["idService"]});
        let (status, service) = json(&f.router, call("/cpro/structures/v1/consulter/service", &token, &acct, &asked)).await;
        assert_eq!(status, StatusCode::OK, "{service}");
        assert_eq!(service["informationsGenerales"]["libelleService"], "Ventes");

        // The SIRENE data, the address hidden when not diffusible.
        let siret = "/cpro/transverses/v1/consulter/information/siret";
        let (status, lilas) = json(&f.router, call(siret, &token, &acct, &json!({"siretStructure": "90100001800019"}))).await;
        assert_eq!(status, StatusCode::OK, "{lilas}");
        assert_eq!(lilas["siren"], "901000018");
        assert_eq!(lilas["raisonSociale"], "ATELIER DES LILAS");
        assert!(lilas["adresse"].as_str().unwrap().contains("LYON"), "{lilas}");
        let (_, hidden) = json(&f.router, call(siret, &token, &acct, &json!({"siretStructure": "90100003400016"}))).await;
        assert_eq!(hidden["nonDiffusibleInsee"], true);
        assert!(hidden.get("adresse").is_none(), "{hidden}");
    })
    .await;
}

#[tokio::test]
async fn every_refusal_is_json_with_its_code_and_audited() {
    common::on_every_backend(async |backend| {
        let f = fixture(backend.state(), "API-3").await;
        let other = fixture(backend.state(), "API-4").await;
        let token = token(&f).await;
        let acct = account(&f.login, &f.password);
        let read = |id: i32| json!({"idStructureCPP": id});
        let consult = "/cpro/structures/v1/consulter";
        let code = async |request: Request<Body>| {
            let (status, answer) = json(&f.router, request).await;
            assert_ne!(answer["codeRetour"], 0);
            assert!(answer["libelle"].is_string());
            (status.as_u16(), answer["codeRetour"].as_i64().unwrap())
        };
        let before = count_events(&f.state, "api.refused").await;

        assert_eq!(
            code(call(consult, &"x".repeat(32), &acct, &read(f.structure_id))).await,
            (401, 2)
        );
        let mut no_token = call(consult, &token, &acct, &read(f.structure_id));
        no_token.headers_mut().remove(header::AUTHORIZATION);
        assert_eq!(code(no_token).await, (401, 2));
        let mut no_account = call(consult, &token, &acct, &read(f.structure_id));
        no_account.headers_mut().remove("cpro-account");
        assert_eq!(code(no_account).await, (401, 3));
        assert_eq!(
            code(call(consult, &token, "%%%", &read(f.structure_id))).await,
            (401, 3)
        );
        let wrong = account(&f.login, &"A".repeat(32));
        assert_eq!(
            code(call(consult, &token, &wrong, &read(f.structure_id))).await,
            (401, 4)
        );
        // Another structure's technical account with this client's token.
        let theirs = account(&other.login, &other.password);
        assert_eq!(
            code(call(consult, &token, &theirs, &read(other.structure_id))).await,
            (403, 7)
        );
        // Another structure with one's own credentials.
        assert_eq!(
            code(call(consult, &token, &acct, &read(other.structure_id))).await,
            (403, 8)
        );
        let services = json!({"idStructure": other.structure_id});
        assert_eq!(
            code(call(
                "/cpro/structures/v1/rechercher/services",
                &token,
                &acct,
                &services
            ))
            .await,
            (403, 8)
        );
        let service = json!({"idStructure": f.structure_id, "idService": 999_999});
        assert_eq!(
            code(call(
                "/cpro/structures/v1/consulter/service",
                &token,
                &acct,
                &service
            ))
            .await,
            (404, 9)
        );
        let siret = "/cpro/transverses/v1/consulter/information/siret";
        let unknown = json!({"siretStructure": "90100001800001"});
        assert_eq!(code(call(siret, &token, &acct, &unknown)).await, (404, 10));
        let invalid = json!({"siretStructure": "90100001800002"});
        assert_eq!(code(call(siret, &token, &acct, &invalid)).await, (400, 1));
        // Malformed bodies: 400; not JSON: 415.
        let mut broken = call(consult, &token, &acct, &json!({}));
        *broken.body_mut() = Body::from("{\"idStructureCPP\":");
        assert_eq!(code(broken).await, (400, 1));
        assert_eq!(
            code(call(
                consult,
                &token,
                &acct,
                &json!({"idStructureCPP": "douze"})
            ))
            .await,
            (400, 1)
        );
        assert_eq!(
            code(call(
                "/cpro/structures/v1/rechercher",
                &token,
                &acct,
                &json!({})
            ))
            .await,
            (400, 1)
        );
        let mut text = call(consult, &token, &acct, &read(f.structure_id));
        text.headers_mut()
            .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(code(text).await, (415, 12));
        assert_eq!(
            count_events(&f.state, "api.refused").await,
            before + 15,
            "{}",
            backend.name
        );

        // A reset: the old password is refused at once, the new one works.
        let reset = technical::reset_password(&f.state, f.owner_id, f.structure_id, IP)
            .await
            .unwrap();
        assert_eq!(
            code(call(consult, &token, &acct, &read(f.structure_id))).await,
            (401, 4)
        );
        let renewed = account(&f.login, reset.password.expose());
        let (status, _) = json(
            &f.router,
            call(consult, &token, &renewed, &read(f.structure_id)),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // Deactivated: 403, said so.
        technical::set_status(
            &f.state,
            f.owner_id,
            f.structure_id,
            TechnicalStatus::Inactive,
            IP,
        )
        .await
        .unwrap();
        assert_eq!(
            code(call(consult, &token, &renewed, &read(f.structure_id))).await,
            (403, 5)
        );
        technical::set_status(
            &f.state,
            f.owner_id,
            f.structure_id,
            TechnicalStatus::Active,
            IP,
        )
        .await
        .unwrap();
        // Expired, 424 days on (with a fresh token: the old one is an hour's).
        f.state.clock.advance(424 * 24 * 3600);
        assert_eq!(
            code(call(consult, &token, &renewed, &read(f.structure_id))).await,
            (401, 2)
        );
        let fresh = self::token(&f).await;
        assert_eq!(
            code(call(consult, &fresh, &renewed, &read(f.structure_id))).await,
            (403, 6)
        );
    })
    .await;
}

#[tokio::test]
async fn calls_are_limited_per_technical_account() {
    common::on_every_backend(async |backend| {
        let state = backend.state_with(|s| s.technical.api_calls_per_second = 1);
        let f = fixture(state, "API-5").await;
        let token = token(&f).await;
        let acct = account(&f.login, &f.password);
        let asked = json!({"idStructureCPP": f.structure_id});
        let mut statuses = Vec::new();
        for _ in 0..4 {
            let (status, answer) = json(
                &f.router,
                call("/cpro/structures/v1/consulter", &token, &acct, &asked),
            )
            .await;
            statuses.push((status.as_u16(), answer["codeRetour"].as_i64().unwrap()));
        }
        // A burst of two, then 429 with Retry-After.
        assert_eq!(
            statuses,
            [(200, 0), (200, 0), (429, 11), (429, 11)],
            "{}",
            backend.name
        );
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_of_the_api() {
    let (router, _state, backend) = common::http::app(false).await;
    let (status, _, text) = send(&router, common::http::get("/cpro/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    let document: Value = serde_json::from_str(&text).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = document["paths"].as_object().unwrap();
    for (path, method) in [
        ("/oauth/token", "post"),
        ("/cpro/transverses/v1/health-check", "get"),
        ("/cpro/structures/v1/rechercher", "post"),
        ("/cpro/structures/v1/consulter", "post"),
        ("/cpro/structures/v1/rechercher/services", "post"),
        ("/cpro/structures/v1/consulter/service", "post"),
        ("/cpro/transverses/v1/consulter/information/siret", "post"),
    ] {
        assert!(paths[path].get(method).is_some(), "{method} {path}");
    }
    assert_eq!(
        paths.len(),
        7,
        "a route of the API is missing from this test"
    );
    backend.cleanup().await;
}
