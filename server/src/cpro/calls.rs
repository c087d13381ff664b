//! The API's endpoints (T4): the structures (search, details, services)
//! and the transverse ones (SIRENE data, health check). Each admits the
//! call (`Api::admit`), reads through `app::backend::cpro`, and answers in
//! the platform's shapes (`wire`); every refusal is audited.

use super::wire::{
    FoundService, FoundStructure, GeneralInformation, Health, PageAsked, PageReturned,
    PostalAddress, ReadService, ReadSiret, ReadStructure, Refused, SUCCESS, SearchServices,
    SearchStructures, ServiceRead, ServiceSettings, ServicesFound, SiretRead, StructureRead,
    StructureSettings, StructuresFound,
};
use super::{Api, ApiError};
use app::backend::cpro::{self, StructureSearch};
use app::backend::directory;
use app::backend::entities::{service, structure};
use app::backend::technical::clients;
use app::domain::identifiers::{IdentifierType, check_siret};
use app::domain::technical::is_generated_shape;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use chrono::SecondsFormat;

/// Results a page unless asked otherwise, and at most.
const PER_PAGE: u64 = 10;
const MAX_PER_PAGE: u64 = 100;

type Answer<T> = Result<Json<T>, ApiError>;

/// The page (from 0) and its size asked for, within bounds.
fn paging(asked: Option<&PageAsked>) -> (u64, u64) {
    let page = asked
        .and_then(|p| p.page_resultat_demandee)
        .map_or(1, |p| p.clamp(1, 1_000_000));
    let per_page = asked
        .and_then(|p| p.nb_resultats_par_page)
        .map_or(PER_PAGE, |n| n.clamp(1, MAX_PER_PAGE as i64) as u64);
    (page.unsigned_abs() - 1, per_page)
}

fn returned(page: u64, per_page: u64, total: u64) -> PageReturned {
    PageReturned {
        page_courante: page + 1,
        pages: total.div_ceil(per_page),
        nb_resultats_par_page: per_page,
        total,
    }
}

/// The platform's name of an identifier type (`SIRET`, `HORS_UE`…).
fn type_name(code: &str) -> String {
    code.to_uppercase()
}

fn found(s: structure::Model) -> FoundStructure {
    FoundStructure {
        id_structure_cpp: i64::from(s.id),
        type_identifiant_structure: type_name(&s.identifier_type),
        identifiant_structure: s.identifier,
        designation_structure: s.name,
        statut: "ACTIF".into(),
    }
}

fn found_service(s: service::Model) -> FoundService {
    FoundService {
        id_service: i64::from(s.id),
        code_service: s.code,
        libelle_service: s.label,
        est_actif: s.active,
        statut_service: if s.active { "ACTIF" } else { "INACTIF" }.into(),
    }
}

const SEARCH: &str = "/cpro/structures/v1/rechercher";

/// *rechercherStructure*: by identifier (and type), or by the start of the
/// name; only active structures, and of each only what any user may see.
#[utoipa::path(post, path = "/cpro/structures/v1/rechercher", tag = "Structures",
    request_body = SearchStructures,
    params(("cpro-account" = String, Header, description = "base64 of `login:password` of the technical account")),
    security(("bearer" = [])),
    responses((status = 200, body = StructuresFound), (status = "4XX", body = Refused)))]
pub async fn search_structures(
    State(api): State<Api>,
    parts: Parts,
    body: Bytes,
) -> Answer<StructuresFound> {
    let headers = &parts.headers;
    let result = async {
        let call = api.admit::<SearchStructures>(headers, Some(&body)).await?;
        let asked = call.body;
        let criteria = asked.structure.unwrap_or(asked.top_level);
        let present = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let search = match (
            present(criteria.identifiant_structure),
            present(criteria.nom_structure).or(present(criteria.raison_sociale_structure)),
        ) {
            (Some(identifier), _) => {
                let kind = match present(criteria.type_identifiant_structure) {
                    None => None,
                    Some(name) => Some(
                        IdentifierType::from_code(&name.to_lowercase())
                            .ok_or_else(|| ApiError::Malformed(format!("typeIdentifiantStructure inconnu : {name}")))?
                            .code()
                            .to_owned(),
                    ),
                };
                StructureSearch::Identifier { identifier, kind }
            }
            (None, Some(name)) => StructureSearch::Name(name),
            (None, None) => {
                return Err(ApiError::Malformed(
                    "identifiantStructure ou nomStructure attendu".into(),
                ));
            }
        };
        if matches!(&search, StructureSearch::Identifier { identifier, .. } | StructureSearch::Name(identifier) if identifier.chars().count() > 100)
        {
            return Err(ApiError::Malformed("critère trop long".into()));
        }
        let (page, per_page) = paging(asked.parametres.as_ref());
        let (rows, total) = cpro::search_structures(&api.state.db, &search, page, per_page).await?;
        Ok(Json(StructuresFound {
            code_retour: 0,
            libelle: SUCCESS.into(),
            parametres_retour: returned(page, per_page, total),
            liste_structures: rows.into_iter().map(found).collect(),
        }))
    }
    .await;
    api.audited(&parts, SEARCH, result).await
}

const READ: &str = "/cpro/structures/v1/consulter";

/// *consulterStructure*: the technical account's own structure.
#[utoipa::path(post, path = "/cpro/structures/v1/consulter", tag = "Structures",
    request_body = ReadStructure,
    params(("cpro-account" = String, Header, description = "base64 of `login:password` of the technical account")),
    security(("bearer" = [])),
    responses((status = 200, body = StructureRead), (status = "4XX", body = Refused)))]
pub async fn read_structure(
    State(api): State<Api>,
    parts: Parts,
    body: Bytes,
) -> Answer<StructureRead> {
    let headers = &parts.headers;
    let result = async {
        let call = api.admit::<ReadStructure>(headers, Some(&body)).await?;
        let Some(s) =
            cpro::own_structure(&api.state.db, &call.caller, call.body.id_structure_cpp).await?
        else {
            return Err(ApiError::NotYours);
        };
        let address = (!s.non_diffusible)
            .then(|| PostalAddress {
                adresse: s.street.clone(),
                complement_adresse1: s.address_complement.clone(),
                code_postal: s.postal_code.clone(),
                ville: s.city.clone(),
                pays: s.country.clone(),
                telephone: s.phone.clone(),
            })
            .filter(|a| a.adresse.is_some() || a.ville.is_some() || a.code_postal.is_some());
        let expiry = call.caller.technical.password_expires_at;
        Ok(Json(StructureRead {
            code_retour: 0,
            libelle: SUCCESS.into(),
            information_generales: GeneralInformation {
                id_structure_cpp: i64::from(s.id),
                type_identifiant_structure: type_name(&s.identifier_type),
                identifiant_structure: s.identifier,
                raison_sociale_structure: s.name,
                libelle_structure: s.label,
                email_structure: s.email,
                date_expiration_mot_passe_compte_tech: Some(
                    expiry.to_rfc3339_opts(SecondsFormat::Secs, true),
                ),
                structure_privee_publique: "PRIVEE".into(),
            },
            adresse_postale_du_siege: address,
            parametres: StructureSettings {
                non_diffusible_insee: s.non_diffusible,
            },
        }))
    }
    .await;
    api.audited(&parts, READ, result).await
}

const SERVICES: &str = "/cpro/structures/v1/rechercher/services";

/// *rechercherServicesStructure*: the own structure's services, by code.
#[utoipa::path(post, path = "/cpro/structures/v1/rechercher/services", tag = "Structures",
    request_body = SearchServices,
    params(("cpro-account" = String, Header, description = "base64 of `login:password` of the technical account")),
    security(("bearer" = [])),
    responses((status = 200, body = ServicesFound), (status = "4XX", body = Refused)))]
pub async fn search_services(
    State(api): State<Api>,
    parts: Parts,
    body: Bytes,
) -> Answer<ServicesFound> {
    let headers = &parts.headers;
    let result = async {
        let call = api.admit::<SearchServices>(headers, Some(&body)).await?;
        if call.body.id_structure != i64::from(call.caller.structure_id) {
            return Err(ApiError::NotYours);
        }
        let (page, per_page) = paging(call.body.parametres_rechercher_services_structure.as_ref());
        let (rows, total) = cpro::services(&api.state.db, &call.caller, page, per_page).await?;
        Ok(Json(ServicesFound {
            code_retour: 0,
            libelle: SUCCESS.into(),
            parametres_retour: returned(page, per_page, total),
            liste_services: rows.into_iter().map(found_service).collect(),
        }))
    }
    .await;
    api.audited(&parts, SERVICES, result).await
}

const SERVICE: &str = "/cpro/structures/v1/consulter/service";

/// *consulterServiceStructure*: one of the own structure's services.
#[utoipa::path(post, path = "/cpro/structures/v1/consulter/service", tag = "Structures",
    request_body = ReadService,
    params(("cpro-account" = String, Header, description = "base64 of `login:password` of the technical account")),
    security(("bearer" = [])),
    responses((status = 200, body = ServiceRead), (status = "4XX", body = Refused)))]
pub async fn read_service(
    State(api): State<Api>,
    parts: Parts,
    body: Bytes,
) -> Answer<ServiceRead> {
    let headers = &parts.headers;
    let result = async {
        let call = api.admit::<ReadService>(headers, Some(&body)).await?;
        if call.body.id_structure != i64::from(call.caller.structure_id) {
            return Err(ApiError::NotYours);
        }
        let Some(found) = cpro::service(&api.state.db, &call.caller, call.body.id_service).await?
        else {
            return Err(ApiError::UnknownService);
        };
        let active = found.active;
        Ok(Json(ServiceRead {
            code_retour: 0,
            libelle: SUCCESS.into(),
            informations_generales: found_service(found),
            parametres: ServiceSettings { est_actif: active },
        }))
    }
    .await;
    api.audited(&parts, SERVICE, result).await
}

const SIRET: &str = "/cpro/transverses/v1/consulter/information/siret";

/// *consulterInformationSIRET*: the SIRENE directory's data (rule S3), the
/// address left out of a *non diffusible* establishment.
#[utoipa::path(post, path = "/cpro/transverses/v1/consulter/information/siret", tag = "Transverses",
    request_body = ReadSiret,
    params(("cpro-account" = String, Header, description = "base64 of `login:password` of the technical account")),
    security(("bearer" = [])),
    responses((status = 200, body = SiretRead), (status = "4XX", body = Refused)))]
pub async fn read_siret(State(api): State<Api>, parts: Parts, body: Bytes) -> Answer<SiretRead> {
    let headers = &parts.headers;
    let result = async {
        let call = api.admit::<ReadSiret>(headers, Some(&body)).await?;
        let siret = check_siret(&call.body.siret_structure)
            .map_err(|_| ApiError::Malformed("siretStructure : 14 chiffres attendus".into()))?;
        let Some(entry) = directory::find(&api.state.db, &siret).await? else {
            return Err(ApiError::UnknownSiret);
        };
        let e = entry.establishment;
        let name = entry
            .unit
            .as_ref()
            .map(|u| u.name.clone())
            .filter(|n| !n.is_empty())
            .or(e.name.clone());
        let address = e.diffusible.then(|| {
            [&e.address_complement, &e.street, &e.postal_code, &e.city]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        });
        Ok(Json(SiretRead {
            code_retour: 0,
            libelle: SUCCESS.into(),
            siren: e.siren,
            siret: e.siret,
            raison_sociale: name,
            adresse: address.filter(|a| !a.is_empty()),
            categorie_juridique: entry.unit.map(|u| u.legal_category),
            est_actif: e.active,
            siege: e.head_office,
            non_diffusible_insee: !e.diffusible,
        }))
    }
    .await;
    api.audited(&parts, SIRET, result).await
}

const HEALTH: &str = "/cpro/transverses/v1/health-check";

/// The health check: a valid bearer token is enough.
#[utoipa::path(get, path = "/cpro/transverses/v1/health-check", tag = "Transverses",
    security(("bearer" = [])),
    responses((status = 200, body = Health), (status = "4XX", body = Refused)))]
pub async fn health_check(State(api): State<Api>, parts: Parts) -> Answer<Health> {
    let headers = &parts.headers;
    let result = async {
        let token = super::bearer(headers).filter(|t| is_generated_shape(t));
        let now = api.state.clock.now();
        let known = match token {
            Some(token) => clients::bearer(&api.state.db, token, now).await?,
            None => None,
        };
        if known.is_none() {
            return Err(ApiError::Refused(cpro::CallRefusal::Token));
        }
        api.state.db.ping().await?;
        Ok(Json(Health {
            body: "OK".into(),
            status_code: "OK".into(),
            status_code_value: 200,
        }))
    }
    .await;
    api.audited(&parts, HEALTH, result).await
}
