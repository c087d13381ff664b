//! The operator's metrics (issue 18, item 6), in Prometheus' text format for
//! the server's `/metrics`: request latencies per route, the audit log's
//! events (logins and their outcomes, lock-outs among them), the
//! password-hashing queue and the mail outbox.
//!
//! One registry per process, not per [`AppState`](crate::backend::AppState):
//! what is counted here (a hash queued, an audit entry written) happens deep
//! in the backend, where threading a handle through every call would cost
//! more than it tells. Tests that build several routers in one process read
//! the sums, so they assert growth, never absolute values.
//!
//! Every label value comes from the code, never from a request: routes are
//! the router's own patterns (`/structures/{id}`), events the audit log's
//! constants, so a hostile client cannot grow the series without bound.
//!
//! An audit entry is counted when it is written; one whose transaction then
//! fails (a database error) is counted all the same.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;

/// Response times' buckets, in seconds: the pages' budget (10 ms) sits in
/// the middle, a slow hash or export at the top.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// One request's series: its method, the route that answered it (the
/// router's pattern, or `unmatched`) and its status class (`2xx`…).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    event: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    events: Family<EventLabels, Counter>,
    hashing_waiting: Gauge,
    hashing_refused: Counter,
    outbox_waiting: Gauge,
    outbox_oldest_seconds: Gauge,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("portal");
    let requests = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
        latency_histogram,
    );
    registry.register(
        "http_request_duration_seconds",
        "Time to answer a request, by method, route and status class",
        requests.clone(),
    );
    let events = Family::<EventLabels, Counter>::default();
    registry.register(
        "audit_events",
        "Audit log entries written, by event (login.succeeded, login.failed, login.locked...)",
        events.clone(),
    );
    let hashing_waiting = Gauge::default();
    registry.register(
        "hashing_jobs",
        "Password hashes queued or running in the hashing pool",
        hashing_waiting.clone(),
    );
    let hashing_refused = Counter::default();
    registry.register(
        "hashing_refused",
        "Password hashes turned away because the hashing queue was full (answered 503)",
        hashing_refused.clone(),
    );
    let outbox_waiting = Gauge::default();
    registry.register(
        "outbox_waiting_messages",
        "E-mails waiting in the outbox (pending, not yet sent or given up)",
        outbox_waiting.clone(),
    );
    let outbox_oldest_seconds = Gauge::default();
    registry.register(
        "outbox_oldest_age_seconds",
        "Age of the oldest e-mail waiting in the outbox (0 when none waits)",
        outbox_oldest_seconds.clone(),
    );
    Metrics {
        registry,
        requests,
        events,
        hashing_waiting,
        hashing_refused,
        outbox_waiting,
        outbox_oldest_seconds,
    }
});

/// A request answered in `seconds`.
pub fn request_answered(labels: RequestLabels, seconds: f64) {
    METRICS.requests.get_or_create(&labels).observe(seconds);
}

/// An audit entry written (`backend::audit::record`).
pub fn event_recorded(event: &str) {
    METRICS
        .events
        .get_or_create(&EventLabels {
            event: event.to_owned(),
        })
        .inc();
}

/// A hash entered the pool's queue; the returned guard marks it done when
/// dropped (finished, panicked or abandoned).
pub fn hash_queued() -> HashInPool {
    METRICS.hashing_waiting.inc();
    HashInPool(())
}

/// A hash in the pool (see [`hash_queued`]).
#[derive(Debug)]
pub struct HashInPool(());

impl Drop for HashInPool {
    fn drop(&mut self) {
        METRICS.hashing_waiting.dec();
    }
}

/// A hash turned away: the queue was full.
pub fn hash_refused() {
    METRICS.hashing_refused.inc();
}

/// The outbox as last read (`backend::outbox::backlog`).
pub fn outbox_read(waiting: u64, oldest_seconds: i64) {
    METRICS
        .outbox_waiting
        .set(i64::try_from(waiting).unwrap_or(i64::MAX));
    METRICS.outbox_oldest_seconds.set(oldest_seconds.max(0));
}

/// Every metric, in Prometheus' text format.
pub fn render() -> String {
    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = prometheus_client::encoding::text::encode(&mut text, &METRICS.registry);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_each_family_with_the_portal_prefix() {
        request_answered(
            RequestLabels {
                method: "GET".into(),
                route: "/structures/{id}".into(),
                status: "2xx".into(),
            },
            0.004,
        );
        event_recorded("login.locked");
        let held = hash_queued();
        let text = render();
        drop(held);
        assert!(
            text.contains(
                "portal_http_request_duration_seconds_count{method=\"GET\",route=\"/structures/{id}\",status=\"2xx\"}"
            ),
            "{text}"
        );
        assert!(
            text.contains("portal_audit_events_total{event=\"login.locked\"}"),
            "{text}"
        );
        assert!(text.contains("portal_hashing_jobs "), "{text}");
        assert!(text.contains("portal_outbox_oldest_age_seconds "), "{text}");
    }
}
