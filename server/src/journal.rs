//! `GET /support/journal.csv`: the audit log as Support filtered it (rules
//! R4, U2), as the page's *Exporter au format CSV* link asks it, with the
//! same filters (`domain::audit::AuditFilters` as the query).
//!
//! Only a Support agent gets it: the session must be Support's, opened with
//! an app or a key (`backend::support::Agent`); anyone else gets 401 or
//! 403. The file is read page by page along the log's index, newest first,
//! and holds at most [`EXPORT_MAX`] entries, so that an export of a broad
//! filter cannot hold the server's memory: Support narrows the period to go
//! further back. Each export is itself audited (`support.audit_exported`,
//! with its filters): reading the log is an act of its own.

use crate::exports::{Refused, english, respond, writer};
use app::backend::audit::reading::{self, AuditLine};
use app::backend::audit::{self, AuditEntry, Subject};
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::backend::support::Agent;
use app::backend::{AppState, client};
use app::domain::audit::{AuditFilters, AuditQuery};
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

/// The most entries one export holds.
pub const EXPORT_MAX: usize = 100_000;
/// Entries read per query.
const CHUNK: u64 = 1_000;

/// `GET /support/journal.csv?user=…&structure=…&event=…&from=…&to=…`.
pub async fn support_journal_csv(
    State(state): State<AppState>,
    Query(filters): Query<AuditFilters>,
    parts: Parts,
) -> Response {
    let built = journal(&state, &filters, &parts).await;
    respond("journal-audit.csv", built)
}

/// The checked Support agent of the request's session.
async fn agent(state: &AppState, headers: &HeaderMap) -> Result<Agent, Refused> {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let token =
        sessions::token_from_cookie_header(cookies, &state.settings).ok_or(Refused::NotLoggedIn)?;
    let lifetimes = Lifetimes::from_settings(&state.settings);
    let live = sessions::resume(&state.db, &token, lifetimes, state.clock.now())
        .await?
        .ok_or(Refused::NotLoggedIn)?;
    let SessionState::LoggedIn { second_factor, .. } = live.state else {
        return Err(Refused::NotLoggedIn);
    };
    Agent::check(state, live.user, second_factor)
        .map_err(|_| Refused::Status(StatusCode::FORBIDDEN))
}

async fn journal(
    state: &AppState,
    filters: &AuditFilters,
    parts: &Parts,
) -> Result<Vec<u8>, Refused> {
    let headers = &parts.headers;
    let agent = agent(state, headers).await?;
    let mut query =
        AuditQuery::parse(filters, "").map_err(|_| Refused::Status(StatusCode::BAD_REQUEST))?;
    let titles = if english(headers) {
        [
            "Date (UTC)",
            "Event",
            "Actor",
            "User",
            "Structure",
            "Subject",
            "IP address",
            "Details",
        ]
    } else {
        [
            "Date (UTC)",
            "Événement",
            "Auteur",
            "Utilisateur",
            "Structure",
            "Objet",
            "Adresse IP",
            "Détails",
        ]
    };
    let mut out = Vec::new();
    let mut written = 0;
    {
        let mut writer = writer(&mut out);
        writer.write_record(titles)?;
        loop {
            let page = reading::page(state, &agent, &query, CHUNK).await?;
            for line in page.lines.into_iter().take(EXPORT_MAX - written) {
                writer.write_record(record(line))?;
                written += 1;
            }
            match page.next {
                Some(next) if written < EXPORT_MAX => query.before = Some(next),
                _ => break,
            }
        }
        writer.flush()?;
    }
    let entry = AuditEntry {
        actor_user_id: Some(agent.id()),
        event: "support.audit_exported",
        subject: Subject::Nothing,
        client_ip: client::of_request(parts, &state.settings.security.trusted_proxies)
            .map(|ip| ip.to_string()),
        details: serde_json::json!({ "filters": filters.query_string(), "entries": written }),
    };
    audit::record(&state.db, entry, state.clock.now()).await?;
    Ok(out)
}

/// An entry's cells, each safe to open in a spreadsheet.
fn record(line: AuditLine) -> [String; 8] {
    let entry = line.entry;
    [
        entry.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        entry.event,
        line.actor.unwrap_or_default(),
        line.user.unwrap_or_default(),
        line.structure
            .map(|(identifier, name)| format!("{identifier} {name}"))
            .unwrap_or_default(),
        entry.subject.unwrap_or_default(),
        entry.client_ip.unwrap_or_default(),
        entry.details,
    ]
    .map(|cell| crate::exports::inert(&cell))
}
