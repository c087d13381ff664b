//! CSV exports (rules M1 and M2: *Exporter au format CSV*). A plain GET that
//! the browser downloads: the session cookie says who asks, and the file
//! holds only what that user may see (their structures; a structure's users
//! for its managers). UTF-8 with a byte-order mark and `;` separators, so
//! that spreadsheet software set up for French opens it with accents and
//! columns right; the headers in the language of the portal's cookie.

use app::backend::entities::structure::StructureStatus;
use app::backend::entities::user::{self, UserStatus};
use app::backend::sessions::{self, Lifetimes};
use app::backend::structures::{self, members};
use app::backend::{AppState, BackendError};
use app::domain::attachments::Standing;
use app::domain::members::MemberQuery;
use app::domain::preferences::{LANGUAGE_COOKIE, Language};
use app::domain::refusal::Refusal;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// Lines per query while writing a file.
const CHUNK: u64 = 500;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Why no file is sent.
pub(crate) enum Refused {
    NotLoggedIn,
    Status(StatusCode),
    Failed(Failure),
}

impl<E: Into<Failure>> From<E> for Refused {
    fn from(error: E) -> Refused {
        Refused::Failed(error.into())
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let raw = headers.get(header::COOKIE)?.to_str().ok()?;
    cookie::Cookie::split_parse(raw.to_owned())
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

pub(crate) fn english(headers: &HeaderMap) -> bool {
    cookie(headers, LANGUAGE_COOKIE).and_then(|v| Language::parse(&v)) == Some(Language::En)
}

fn date(at: DateTime<Utc>, english: bool) -> String {
    let format = if english { "%Y-%m-%d" } else { "%d/%m/%Y" };
    at.format(format).to_string()
}

/// The logged-in user the request's session cookie names, if any (the
/// plain GETs of the server: these files and the profile photo).
pub(crate) async fn session_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(token) = sessions::token_from_cookie_header(cookies, &state.settings) else {
        return Ok(None);
    };
    let lifetimes = Lifetimes::from_settings(&state.settings);
    sessions::logged_in_user(&state.db, &token, lifetimes, state.clock.now()).await
}

/// The logged-in user the request's session cookie names.
async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<user::Model, Refused> {
    session_user(state, headers)
        .await?
        .ok_or(Refused::NotLoggedIn)
}

/// The file, or the status that says why not.
pub(crate) fn respond(filename: &str, built: Result<Vec<u8>, Refused>) -> Response {
    match built {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(Refused::NotLoggedIn) => StatusCode::UNAUTHORIZED.into_response(),
        Err(Refused::Status(status)) => status.into_response(),
        Err(Refused::Failed(error)) => {
            tracing::error!(%error, "CSV export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A cell that a spreadsheet shows as text: one that starts like a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as
/// OWASP's *CSV injection* advice says, since names and details are typed
/// by users and the file is opened by others.
pub(crate) fn inert(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// A CSV writer into `out`, after the byte-order mark.
pub(crate) fn writer(out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    out.extend_from_slice("\u{feff}".as_bytes());
    csv::WriterBuilder::new().delimiter(b';').from_writer(out)
}

/// `GET /mes-structures.csv`.
pub async fn my_structures_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    respond("mes-structures.csv", my_structures(&state, &headers).await)
}

async fn my_structures(state: &AppState, headers: &HeaderMap) -> Result<Vec<u8>, Refused> {
    let user_id = viewer(state, headers).await?.id;
    let english = english(headers);
    let (titles, active, awaiting) = if english {
        (
            [
                "Structure identifier",
                "Company name",
                "Creation date",
                "Services",
                "Status",
            ],
            "Active",
            "Awaiting approval",
        )
    } else {
        (
            [
                "Identifiant structure",
                "Raison sociale",
                "Date de création",
                "Services",
                "Statut",
            ],
            "Active",
            "En attente de validation",
        )
    };
    let mut out = Vec::new();
    {
        let mut writer = writer(&mut out);
        writer.write_record(titles)?;
        let mut page = 0;
        loop {
            let (lines, total) = structures::of_user(&state.db, user_id, page, CHUNK).await?;
            for line in &lines {
                let s = &line.structure;
                let status = if s.status == StructureStatus::AwaitingSupport {
                    awaiting
                } else {
                    active
                };
                writer.write_record(
                    [
                        s.identifier.as_str(),
                        s.name.as_str(),
                        &date(s.created_at, english),
                        &line.services.to_string(),
                        status,
                    ]
                    .map(inert),
                )?;
            }
            page += 1;
            if lines.is_empty() || page * CHUNK >= total {
                break;
            }
        }
        writer.flush()?;
    }
    Ok(out)
}

/// `GET /structures/{id}/utilisateurs.csv`: every user of the structure
/// (rule M2), by last name, for its managers only.
pub async fn structure_members_csv(
    State(state): State<AppState>,
    Path(structure_id): Path<i32>,
    headers: HeaderMap,
) -> Response {
    let built = structure_members(&state, structure_id, &headers).await;
    respond(&format!("utilisateurs-{structure_id}.csv"), built)
}

async fn structure_members(
    state: &AppState,
    structure_id: i32,
    headers: &HeaderMap,
) -> Result<Vec<u8>, Refused> {
    let viewer_id = viewer(state, headers).await?.id;
    let english = english(headers);
    let titles = if english {
        [
            "Last name",
            "First name",
            "Login address",
            "Role",
            "User status",
            "Last login",
            "Attached since",
        ]
    } else {
        [
            "Nom",
            "Prénom",
            "Adresse de connexion",
            "Rôle",
            "Statut utilisateur",
            "Date dernière connexion",
            "Rattaché depuis le",
        ]
    };
    let role = |standing: Standing| match (standing, english) {
        (Standing::PrimaryManager, true) => "Primary manager",
        (Standing::PrimaryManager, false) => "Gestionnaire principal",
        (Standing::Manager, true) => "Manager",
        (Standing::Manager, false) => "Gestionnaire",
        (_, true) => "Attached",
        (_, false) => "Rattaché",
    };
    let status = |status: UserStatus| match (status == UserStatus::Active, english) {
        (true, true) => "Active",
        (true, false) => "Actif",
        (false, true) => "Disabled",
        (false, false) => "Désactivé",
    };
    let everyone = MemberQuery::default();
    let mut out = Vec::new();
    {
        let mut writer = writer(&mut out);
        writer.write_record(titles)?;
        let mut page = 0;
        loop {
            let view =
                members::for_manager(&state.db, viewer_id, structure_id, &everyone, page, CHUNK)
                    .await
                    .map_err(|error| match error {
                        BackendError::Refused(Refusal::NotAllowed) => {
                            Refused::Status(StatusCode::FORBIDDEN)
                        }
                        BackendError::Refused(_) => Refused::Status(StatusCode::NOT_FOUND),
                        other => Refused::Failed(other.into()),
                    })?;
            for line in &view.lines {
                let u = &line.user;
                let last_login = u.last_login_at.map(|at| date(at, english));
                writer.write_record(
                    [
                        u.last_name.as_str(),
                        u.first_name.as_str(),
                        u.login_email.as_str(),
                        role(line.standing),
                        status(u.status),
                        last_login.as_deref().unwrap_or_default(),
                        &date(line.membership.created_at, english),
                    ]
                    .map(inert),
                )?;
            }
            page += 1;
            if view.lines.is_empty() || page * CHUNK >= view.total {
                break;
            }
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn cells_shaped_like_formulas_stay_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("+33 1 23"), "'+33 1 23");
        assert_eq!(inert("-2"), "'-2");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("\tx"), "'\tx");
        assert_eq!(inert("Martin"), "Martin");
        assert_eq!(inert(""), "");
    }
}
