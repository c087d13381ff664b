//! Support's audit-log page (rules R4, U2): a page of entries, newest first,
//! and where the next one starts. The CSV export of the same filters is the
//! server's plain GET `/support/journal.csv` (`server::exports`).

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An entry as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i32,
    pub occurred_at: DateTime<Utc>,
    pub event: String,
    /// The actor's login address (empty: a visitor, or a deleted account).
    pub actor: String,
    /// What the entry is about: a login address, a structure, a ticket.
    pub about: String,
    pub client_ip: String,
    pub details: String,
}

/// A page of entries; `next` is where the older ones start, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRows {
    pub rows: Vec<AuditRow>,
    pub next: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<crate::backend::audit::reading::AuditLine> for AuditRow {
    fn from(line: crate::backend::audit::reading::AuditLine) -> AuditRow {
        let entry = line.entry;
        let structure = line
            .structure
            .map(|(identifier, name)| format!("{identifier} {name}"));
        let about = match (line.user, structure) {
            (Some(user), Some(structure)) => format!("{user} ({structure})"),
            (Some(named), None) | (None, Some(named)) => named,
            (None, None) => match entry
                .subject
                .as_deref()
                .and_then(|s| s.strip_prefix("ticket:"))
            {
                Some(id) => id
                    .parse()
                    .map(crate::domain::tickets::ticket_number)
                    .unwrap_or_default(),
                None => entry.subject.unwrap_or_default(),
            },
        };
        AuditRow {
            id: entry.id,
            occurred_at: entry.occurred_at,
            event: entry.event,
            actor: line.actor.unwrap_or_default(),
            about,
            client_ip: entry.client_ip.unwrap_or_default(),
            details: entry.details,
        }
    }
}

/// A page of the audit log (Support only). `before` is the `next` of the
/// previous page (empty: the newest entries).
#[server(endpoint = "audit-log")]
pub async fn audit_log(
    user: String,
    structure: String,
    event: String,
    from: String,
    to: String,
    before: String,
) -> Result<AuditRows, AppError> {
    use super::session::support_agent;
    use crate::backend::app_state;
    use crate::backend::audit::reading;
    use crate::domain::audit::{AUDIT_PER_PAGE, AuditFilters, AuditQuery};
    let state = app_state()?;
    let agent = support_agent(&state).await?;
    let filters = AuditFilters {
        user,
        structure,
        event,
        from,
        to,
    };
    let query = AuditQuery::parse(&filters, &before)
        .map_err(|(filter, problem)| AppError::AuditFilter(filter, problem))?;
    let page = reading::page(&state, &agent, &query, AUDIT_PER_PAGE).await?;
    Ok(AuditRows {
        rows: page.lines.into_iter().map(AuditRow::from).collect(),
        next: page.next.map(|cursor| cursor.encode()),
    })
}
