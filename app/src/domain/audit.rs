//! Reading the audit log (rules R4, U2): the filters Support may set, and
//! the position of a page in it.
//!
//! The log grows by every login, so a page is found by where the previous
//! one ended (the time and id of its last entry, newest first), never by an
//! offset or a count: both would read every entry the filters match, and a
//! filter on an event type can match most of a million entries. Every
//! filter is answered by an index that ends in that order
//! (`migration::m20261207_000022_audit_subjects`).

use super::account::FieldProblem;
use super::text::has_refused_char;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Entries on one page of the log.
pub const AUDIT_PER_PAGE: u64 = 50;
/// The longest text a filter accepts (an address, an identifier, an event).
pub const MAX_FILTER_CHARS: usize = 254;

/// The events the product writes, offered as suggestions in the event
/// filter (which takes any exact name: an event added later is found even
/// before it is listed here).
pub const KNOWN_EVENTS: [&str; 70] = [
    "account.activated",
    "account.address_change_requested",
    "account.address_changed",
    "account.contact_change_requested",
    "account.contact_changed",
    "account.created",
    "account.deactivated",
    "account.deactivated_by_support",
    "account.details_changed",
    "account.notifications_changed",
    "account.password_reset",
    "account.photo_changed",
    "account.photo_removed",
    "account.preferences_changed",
    "account.reactivated",
    "account.reactivated_by_support",
    "account.reactivation_requested",
    "account.reset_limited",
    "account.reset_requested",
    "account.signup_refused_existing",
    "attachment.approved",
    "attachment.cancelled",
    "attachment.detached",
    "attachment.rejected",
    "attachment.requested",
    "factor.app_added",
    "factor.app_removed",
    "factor.email_code_accepted",
    "factor.email_code_refused",
    "factor.key_added",
    "factor.key_removed",
    "factor.password_changed",
    "factor.recovery_code_used",
    "factor.recovery_codes_drawn",
    "invitation.accepted",
    "invitation.sent",
    "login.app_code_failed",
    "login.code_failed",
    "login.code_locked",
    "login.code_sends_limited",
    "login.email_code_fallback",
    "login.failed",
    "login.key_failed",
    "login.locked",
    "login.locked_client",
    "login.password_ok",
    "login.succeeded",
    "login.succeeded_app",
    "login.succeeded_key",
    "member.deactivated",
    "member.deleted",
    "member.reactivated",
    "membership.added",
    "profile.changed",
    "profile.requested",
    "profile_request.approved",
    "profile_request.rejected",
    "service.closed",
    "service.created",
    "service.reopened",
    "structure.approved",
    "structure.created",
    "structure.rejected",
    "structure.transferred",
    "support.audit_exported",
    "support.ticket_closed",
    "support.ticket_created",
    "support.ticket_replied",
    "support.ticket_reopened",
    "support.ticket_limited",
];

/// A filter of the log's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditFilter {
    User,
    Structure,
    Event,
    From,
    To,
    /// The page's position (only a forged request gets it wrong).
    Position,
}

/// The filters as typed (empty: any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilters {
    /// A login address: entries by that user or about them.
    pub user: String,
    /// A structure's identifier (SIRET, …): entries about that structure.
    pub structure: String,
    /// An event's exact name (`login.failed`).
    pub event: String,
    /// The first day, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// The last day, included.
    pub to: String,
}

impl AuditFilters {
    /// The filters as a URL's query (the CSV export's link), empty ones left
    /// out.
    pub fn query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("user", &self.user),
            ("structure", &self.structure),
            ("event", &self.event),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        query.finish()
    }
}

/// Where a page starts: just older than this entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    pub occurred_at: DateTime<Utc>,
    pub id: i32,
}

impl AuditCursor {
    /// The position as the page passes it back: `<nanoseconds>.<id>` (the
    /// embedded database keeps a time to the nanosecond, and a position
    /// rounded to the microsecond would skip entries of the same microsecond).
    pub fn encode(&self) -> String {
        let nanos = self.occurred_at.timestamp_nanos_opt().unwrap_or(i64::MAX);
        format!("{nanos}.{}", self.id)
    }

    /// `None` for anything [`AuditCursor::encode`] does not write.
    pub fn decode(text: &str) -> Option<AuditCursor> {
        let (nanos, id) = text.split_once('.')?;
        Some(AuditCursor {
            occurred_at: DateTime::from_timestamp_nanos(nanos.parse().ok()?),
            id: id.parse().ok()?,
        })
    }
}

/// The filters as checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Lower-case login address.
    pub user: Option<String>,
    pub structure: Option<String>,
    pub event: Option<String>,
    /// From this moment, included.
    pub since: Option<DateTime<Utc>>,
    /// Up to this moment, excluded (the day after the last day).
    pub until: Option<DateTime<Utc>>,
    pub before: Option<AuditCursor>,
}

fn text_filter(
    raw: &str,
    filter: AuditFilter,
) -> Result<Option<String>, (AuditFilter, FieldProblem)> {
    let text = raw.trim();
    if text.chars().count() > MAX_FILTER_CHARS {
        return Err((filter, FieldProblem::TooLong));
    }
    if has_refused_char(text) {
        return Err((filter, FieldProblem::InvalidCharacters));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn day(raw: &str, filter: AuditFilter) -> Result<Option<NaiveDate>, (AuditFilter, FieldProblem)> {
    match raw.trim() {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| (filter, FieldProblem::InvalidDate)),
    }
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

impl AuditQuery {
    /// The filters and the page's position (empty: the newest page), or the
    /// first filter that is wrong.
    pub fn parse(
        filters: &AuditFilters,
        before: &str,
    ) -> Result<AuditQuery, (AuditFilter, FieldProblem)> {
        let user = text_filter(&filters.user, AuditFilter::User)?.map(|u| u.to_lowercase());
        let structure = text_filter(&filters.structure, AuditFilter::Structure)?;
        let event = text_filter(&filters.event, AuditFilter::Event)?;
        let from = day(&filters.from, AuditFilter::From)?;
        let to = day(&filters.to, AuditFilter::To)?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err((AuditFilter::To, FieldProblem::DateOrder));
        }
        let before = match before {
            "" => None,
            text => Some(
                AuditCursor::decode(text)
                    .ok_or((AuditFilter::Position, FieldProblem::InvalidDate))?,
            ),
        };
        Ok(AuditQuery {
            user,
            structure,
            event,
            since: from.map(start_of),
            until: to.and_then(|to| to.succ_opt()).map(start_of),
            before,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(from: &str, to: &str) -> AuditFilters {
        AuditFilters {
            from: from.into(),
            to: to.into(),
            ..AuditFilters::default()
        }
    }

    #[test]
    fn the_last_day_is_included_whole() {
        let query = AuditQuery::parse(&filters("2026-12-01", "2026-12-07"), "").unwrap();
        assert_eq!(
            query.since.unwrap().to_rfc3339(),
            "2026-12-01T00:00:00+00:00"
        );
        assert_eq!(
            query.until.unwrap().to_rfc3339(),
            "2026-12-08T00:00:00+00:00"
        );
        let one_day = AuditQuery::parse(&filters("2026-12-07", "2026-12-07"), "").unwrap();
        assert!(one_day.since < one_day.until);
    }

    #[test]
    fn wrong_filters_are_named() {
        assert_eq!(
            AuditQuery::parse(&filters("07/12/2026", ""), ""),
            Err((AuditFilter::From, FieldProblem::InvalidDate))
        );
        assert_eq!(
            AuditQuery::parse(&filters("2026-12-07", "2026-12-01"), ""),
            Err((AuditFilter::To, FieldProblem::DateOrder))
        );
        let long = AuditFilters {
            user: "a".repeat(MAX_FILTER_CHARS + 1),
            ..AuditFilters::default()
        };
        assert_eq!(
            AuditQuery::parse(&long, ""),
            Err((AuditFilter::User, FieldProblem::TooLong))
        );
        assert!(AuditQuery::parse(&AuditFilters::default(), "12.x").is_err());
        assert!(AuditQuery::parse(&AuditFilters::default(), "99999999999999999999.1").is_err());
    }

    #[test]
    fn a_position_reads_back_as_written_and_addresses_are_lower_case() {
        let cursor = AuditCursor {
            occurred_at: DateTime::from_timestamp_nanos(1_765_000_000_123_456_789),
            id: 42,
        };
        let filters = AuditFilters {
            user: "  Marie@Example.FR ".into(),
            ..AuditFilters::default()
        };
        let query = AuditQuery::parse(&filters, &cursor.encode()).unwrap();
        assert_eq!(query.before, Some(cursor));
        assert_eq!(query.user.as_deref(), Some("marie@example.fr"));
        assert_eq!(query.event, None);
        assert_eq!(filters.query_string(), "user=Marie%40Example.FR");
    }

    #[test]
    fn the_known_events_are_unique_dotted_names() {
        let mut seen = std::collections::BTreeSet::new();
        assert!(
            KNOWN_EVENTS
                .iter()
                .all(|e| seen.insert(*e) && e.contains('.'))
        );
    }
}
