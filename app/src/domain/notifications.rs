//! *Paramétrer vos notifications* (rule P2): the topics a user may ask to
//! be notified about, and the rules of the weekly summary of a structure's
//! movements: which week it covers, what counts as a movement, when it is
//! not sent.
//!
//! The weeks are ISO weeks in UTC (Monday 00:00 to the next Monday): the
//! summary of a week is due once it has ended, and covers it only if the
//! recipient had asked for summaries before it ended (a choice made today
//! does not bring last week's summary).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a user may be notified about. The first three are the platform's
/// applications (seed 001 §2.2.3); the fourth is the weekly summary of the
/// movements of the structures the user manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// *Certificats de cessibilité*.
    CessionCertificates,
    /// *Engagements*.
    Commitments,
    /// *Facturation CPRO*.
    Invoicing,
    /// The weekly summary of the structures' movements.
    WeeklySummary,
}

impl Topic {
    pub const ALL: [Topic; 4] = [
        Topic::CessionCertificates,
        Topic::Commitments,
        Topic::Invoicing,
        Topic::WeeklySummary,
    ];

    /// The stored code (and the form's value).
    pub fn code(self) -> &'static str {
        match self {
            Topic::CessionCertificates => "certificats-cessibilite",
            Topic::Commitments => "engagements",
            Topic::Invoicing => "facturation-cpro",
            Topic::WeeklySummary => "recapitulatif-hebdomadaire",
        }
    }

    pub fn parse(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|topic| topic.code() == code)
    }
}

/// A set of topics, as the page and its server functions carry it: one bit
/// per topic of [`Topic::ALL`] (a plain number on the wire, which keeps the
/// browser's code small).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TopicSet(u8);

impl TopicSet {
    fn bit(topic: Topic) -> u8 {
        let index = Topic::ALL.iter().position(|t| *t == topic).unwrap_or(0);
        1 << index
    }

    /// The set of a number from the browser; `None` when it has bits of no
    /// topic.
    pub fn from_bits(bits: u8) -> Option<TopicSet> {
        let all = Topic::ALL
            .iter()
            .fold(0, |all, topic| all | TopicSet::bit(*topic));
        (bits & !all == 0).then_some(TopicSet(bits))
    }

    pub fn of(topics: &[Topic]) -> TopicSet {
        TopicSet(
            topics
                .iter()
                .fold(0, |bits, topic| bits | TopicSet::bit(*topic)),
        )
    }

    pub fn contains(self, topic: Topic) -> bool {
        self.0 & TopicSet::bit(topic) != 0
    }

    pub fn with(self, topic: Topic, on: bool) -> TopicSet {
        if on {
            TopicSet(self.0 | TopicSet::bit(topic))
        } else {
            TopicSet(self.0 & !TopicSet::bit(topic))
        }
    }

    /// The topics, in [`Topic::ALL`]'s order.
    pub fn topics(self) -> Vec<Topic> {
        Topic::ALL
            .into_iter()
            .filter(|t| self.contains(*t))
            .collect()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The number the server function carries.
    pub fn bits(self) -> u8 {
        self.0
    }
}

/// A kind of movement on a structure, as the summary counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Movement {
    /// A user attached (request approved, added by a manager, invitation
    /// accepted).
    Attachment,
    /// A user detached (by themselves or deleted by a manager).
    Detachment,
    /// An authorisation changed (a profile set or approved, a member
    /// suspended or restored, the primary manager transferred).
    Authorisation,
    /// A service created, closed or reopened.
    Service,
    /// A technical account's action (issue 17 adds them).
    TechnicalAccount,
}

impl Movement {
    pub const ALL: [Movement; 5] = [
        Movement::Attachment,
        Movement::Detachment,
        Movement::Authorisation,
        Movement::Service,
        Movement::TechnicalAccount,
    ];

    /// The audit events that are movements. Requests (asked, not done)
    /// are not.
    pub const EVENTS: [(&'static str, Movement); 13] = [
        ("attachment.approved", Movement::Attachment),
        ("membership.added", Movement::Attachment),
        ("invitation.accepted", Movement::Attachment),
        ("attachment.detached", Movement::Detachment),
        ("member.deleted", Movement::Detachment),
        ("profile.changed", Movement::Authorisation),
        ("profile_request.approved", Movement::Authorisation),
        ("member.deactivated", Movement::Authorisation),
        ("member.reactivated", Movement::Authorisation),
        ("structure.transferred", Movement::Authorisation),
        ("service.created", Movement::Service),
        ("service.closed", Movement::Service),
        ("service.reopened", Movement::Service),
    ];

    /// Every audit event of a technical account (issue 17) is a movement.
    pub const TECHNICAL_ACCOUNT_PREFIX: &'static str = "technical_account.";

    /// The movement an audit event records, if it is one.
    pub fn of_event(event: &str) -> Option<Movement> {
        if event.starts_with(Movement::TECHNICAL_ACCOUNT_PREFIX) {
            return Some(Movement::TechnicalAccount);
        }
        Movement::EVENTS
            .iter()
            .find(|(name, _)| *name == event)
            .map(|(_, movement)| *movement)
    }
}

/// A structure's movements over a week, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    counts: [u32; Movement::ALL.len()],
}

impl Tally {
    pub fn add(&mut self, movement: Movement) {
        let slot = &mut self.counts[movement as usize];
        *slot = slot.saturating_add(1);
    }

    pub fn count(&self, movement: Movement) -> u32 {
        self.counts[movement as usize]
    }

    /// Nothing moved: no line in the summary (and no summary at all when
    /// every structure is empty).
    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|count| *count == 0)
    }
}

/// One ISO week, Monday 00:00 UTC to the next Monday 00:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub monday: NaiveDate,
}

impl Week {
    /// The last week that has ended at `now`.
    pub fn last_ended(now: DateTime<Utc>) -> Week {
        let today = now.date_naive();
        let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        Week {
            monday: this_monday - Duration::days(7),
        }
    }

    pub fn start(self) -> DateTime<Utc> {
        self.monday.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    pub fn end(self) -> DateTime<Utc> {
        self.start() + Duration::days(7)
    }

    /// The stored key: the Monday, `YYYY-MM-DD`.
    pub fn key(self) -> String {
        self.monday.format("%Y-%m-%d").to_string()
    }

    /// Whether a summary chosen at `chosen_at` covers this week: it must
    /// have been asked for before the week ended.
    pub fn covers_choice_made(self, chosen_at: DateTime<Utc>) -> bool {
        chosen_at < self.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn topics_round_trip_through_their_codes() {
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.code()), Some(topic));
        }
        assert_eq!(Topic::parse("facturation"), None);
    }

    #[test]
    fn a_topic_set_holds_the_topics_and_refuses_unknown_bits() {
        let set = TopicSet::of(&[Topic::WeeklySummary, Topic::Invoicing]);
        assert_eq!(set.topics(), vec![Topic::Invoicing, Topic::WeeklySummary]);
        assert!(set.contains(Topic::Invoicing) && !set.contains(Topic::Commitments));
        let set = set
            .with(Topic::Invoicing, false)
            .with(Topic::Commitments, true);
        assert_eq!(set.topics(), vec![Topic::Commitments, Topic::WeeklySummary]);
        assert_eq!(TopicSet::from_bits(0b1111), Some(TopicSet::of(&Topic::ALL)));
        assert_eq!(TopicSet::from_bits(0b1_0000), None);
        assert!(TopicSet::default().is_empty());
    }

    #[test]
    fn the_last_ended_week_is_the_one_before_this_monday() {
        // Sunday 2026-12-06 23:59 is still in the week of Monday 11-30.
        let sunday = Utc.with_ymd_and_hms(2026, 12, 6, 23, 59, 0).unwrap();
        assert_eq!(Week::last_ended(sunday).key(), "2026-11-23");
        // Monday 00:00 ends that week.
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let week = Week::last_ended(monday);
        assert_eq!(week.key(), "2026-11-30");
        assert_eq!(week.end(), monday);
        assert_eq!(week.start(), monday - Duration::days(7));
    }

    #[test]
    fn a_summary_covers_weeks_that_end_after_it_was_asked_for() {
        let week = Week::last_ended(Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap());
        let during = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
        assert!(week.covers_choice_made(during));
        assert!(!week.covers_choice_made(after));
    }

    #[test]
    fn movements_are_read_from_the_audit_events() {
        assert_eq!(
            Movement::of_event("attachment.approved"),
            Some(Movement::Attachment)
        );
        assert_eq!(
            Movement::of_event("member.deleted"),
            Some(Movement::Detachment)
        );
        assert_eq!(
            Movement::of_event("profile.changed"),
            Some(Movement::Authorisation)
        );
        assert_eq!(
            Movement::of_event("service.created"),
            Some(Movement::Service)
        );
        // Asked for, not done: not a movement.
        assert_eq!(Movement::of_event("attachment.requested"), None);
        assert_eq!(Movement::of_event("profile.requested"), None);
        assert_eq!(Movement::of_event("account.details_changed"), None);
    }

    #[test]
    fn a_tally_is_empty_until_something_moves() {
        let mut tally = Tally::default();
        assert!(tally.is_empty());
        tally.add(Movement::Service);
        tally.add(Movement::Service);
        assert!(!tally.is_empty());
        assert_eq!(tally.count(Movement::Service), 2);
        assert_eq!(tally.count(Movement::Attachment), 0);
    }
}
