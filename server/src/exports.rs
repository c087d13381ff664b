//! CSV exports (rule M1: *Exporter au format CSV*). A plain GET that the
//! browser downloads: the session cookie says who asks, and the file holds
//! only that user's structures. UTF-8 with a byte-order mark and `;`
//! separators, so that spreadsheet software set up for French opens it with
//! accents and columns right.

use app::backend::AppState;
use app::backend::entities::structure::StructureStatus;
use app::backend::sessions::{self, Lifetimes};
use app::backend::structures;
use app::domain::preferences::{LANGUAGE_COOKIE, Language};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Structures per query while writing the file.
const CHUNK: u64 = 500;

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let raw = headers.get(header::COOKIE)?.to_str().ok()?;
    cookie::Cookie::split_parse(raw.to_owned())
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// `GET /mes-structures.csv`.
pub async fn my_structures_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match build(&state, &headers).await {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"mes-structures.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
        Ok(None) => StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => {
            tracing::error!(%error, "CSV export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn build(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error>> {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(token) = sessions::token_from_cookie_header(cookies, &state.settings) else {
        return Ok(None);
    };
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let Some(user) =
        sessions::logged_in_user(&state.db, &token, lifetimes, state.clock.now()).await?
    else {
        return Ok(None);
    };
    let user_id = user.id;
    let english =
        cookie(headers, LANGUAGE_COOKIE).and_then(|v| Language::parse(&v)) == Some(Language::En);
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
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
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
                let date = if english {
                    s.created_at.format("%Y-%m-%d")
                } else {
                    s.created_at.format("%d/%m/%Y")
                };
                writer.write_record([
                    s.identifier.as_str(),
                    s.name.as_str(),
                    &date.to_string(),
                    &line.services.to_string(),
                    status,
                ])?;
            }
            page += 1;
            if lines.is_empty() || page * CHUNK >= total {
                break;
            }
        }
        writer.flush()?;
    }
    Ok(Some(out))
}
