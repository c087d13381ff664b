//! The purge of expired rows: each kind of row goes once its use is over,
//! and not a moment before; two server instances purging at once do not
//! get in each other's way.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::entities::mail_outbox::{self, OutboxStatus};
use app::backend::entities::user::{self, UserStatus};
use app::backend::entities::user_token::{self, TokenPurpose};
use app::backend::entities::{
    address_change, captcha_challenge, login_code, login_throttle, session, webauthn_ceremony,
    weekly_summary,
};
use app::backend::purge::{self, Policy, PurgeReport, Purger};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};
use std::collections::BTreeSet;

async fn a_user(db: &DatabaseConnection, now: DateTime<Utc>) -> i32 {
    a_user_at(db, "lea@example.fr", now).await
}

async fn a_user_at(db: &DatabaseConnection, email: &str, now: DateTime<Utc>) -> i32 {
    let row = user::ActiveModel {
        login_email: Set(email.into()),
        contact_email: Set(email.into()),
        last_name: Set("Martin".into()),
        first_name: Set("Léa".into()),
        phone: Set(None),
        password_hash: Set(None),
        status: Set(UserStatus::Active),
        language: Set("fr".into()),
        accessibility: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    };
    row.insert(db).await.unwrap().id
}

async fn a_session(
    db: &DatabaseConnection,
    id: &str,
    user: i32,
    last_seen: DateTime<Utc>,
    expires: DateTime<Utc>,
) {
    let row = session::ActiveModel {
        id: Set(id.into()),
        user_id: Set(Some(user)),
        // An authenticator-app enrolment in progress: its secret is here.
        data: Set(r#"{"totp_enrolment":"JBSWY3DPEHPK3PXP"}"#.into()),
        created_at: Set(last_seen),
        last_seen_at: Set(last_seen),
        expires_at: Set(expires),
        ..Default::default()
    };
    row.insert(db).await.unwrap();
}

fn challenge(
    id: &str,
    expires: DateTime<Utc>,
    used: Option<DateTime<Utc>>,
) -> captcha_challenge::ActiveModel {
    captcha_challenge::ActiveModel {
        id: Set(id.into()),
        bits: Set(16),
        expires_at: Set(expires),
        used_at: Set(used),
    }
}

async fn a_challenge(
    db: &DatabaseConnection,
    id: &str,
    expires: DateTime<Utc>,
    used: Option<DateTime<Utc>>,
) {
    challenge(id, expires, used).insert(db).await.unwrap();
}

async fn a_counter(
    db: &DatabaseConnection,
    key: &str,
    attempts: i32,
    locked: Option<DateTime<Utc>>,
    updated: DateTime<Utc>,
) {
    let row = login_throttle::ActiveModel {
        key: Set(key.into()),
        attempts: Set(attempts),
        locked_until: Set(locked),
        updated_at: Set(updated),
    };
    row.insert(db).await.unwrap();
}

async fn a_ceremony(db: &DatabaseConnection, user: i32, expires: DateTime<Utc>) -> i32 {
    let row = webauthn_ceremony::ActiveModel {
        session_id: Set("s".into()),
        user_id: Set(user),
        purpose: Set("login".into()),
        state: Set("{}".into()),
        expires_at: Set(expires),
        ..Default::default()
    };
    row.insert(db).await.unwrap().id
}

async fn a_code(
    db: &DatabaseConnection,
    user: i32,
    expires: DateTime<Utc>,
    used: Option<DateTime<Utc>>,
) -> i32 {
    let row = login_code::ActiveModel {
        user_id: Set(user),
        code_hash: Set("hash".into()),
        attempts: Set(0),
        created_at: Set(expires - Duration::minutes(10)),
        expires_at: Set(expires),
        used_at: Set(used),
        ..Default::default()
    };
    row.insert(db).await.unwrap().id
}

async fn a_link(
    db: &DatabaseConnection,
    user: i32,
    expires: DateTime<Utc>,
    used: Option<DateTime<Utc>>,
) -> i32 {
    let row = user_token::ActiveModel {
        user_id: Set(user),
        purpose: Set(TokenPurpose::Reset),
        token_hash: Set(format!("{:016x}", rand::random::<u64>())),
        created_at: Set(expires - Duration::hours(1)),
        expires_at: Set(expires),
        used_at: Set(used),
        ..Default::default()
    };
    row.insert(db).await.unwrap().id
}

async fn a_message(db: &DatabaseConnection, status: OutboxStatus, at: DateTime<Utc>) -> i32 {
    let row = mail_outbox::ActiveModel {
        recipient: Set("lea@example.fr".into()),
        subject: Set("[Facturo] Votre code de connexion".into()),
        text_body: Set("[redacted]".into()),
        html_body: Set("[redacted]".into()),
        status: Set(status),
        attempts: Set(1),
        created_at: Set(at),
        next_attempt_at: Set(at),
        claimed_until: Set(None),
        sent_at: Set((status == OutboxStatus::Sent).then_some(at)),
        last_error: Set(None),
        ..Default::default()
    };
    row.insert(db).await.unwrap().id
}

/// A login-address change of `user` whose link expires at `expires`.
async fn an_address_change(db: &DatabaseConnection, user: i32, expires: DateTime<Utc>) {
    let row = address_change::ActiveModel {
        user_id: Set(user),
        kind: Set(address_change::Kind::Login),
        new_address: Set(format!("nouvelle-{user}@example.fr")),
        token_hash: Set(format!("hash-{user}")),
        created_at: Set(expires - Duration::hours(24)),
        expires_at: Set(expires),
        confirmed_at: Set(None),
    };
    row.insert(db).await.unwrap();
}

async fn a_summary_claim(db: &DatabaseConnection, user: i32, week: &str, handled: DateTime<Utc>) {
    let row = weekly_summary::ActiveModel {
        user_id: Set(user),
        week: Set(week.to_owned()),
        handled_at: Set(handled),
        sent: Set(true),
    };
    row.insert(db).await.unwrap();
}

fn min(n: i64) -> Duration {
    Duration::minutes(n)
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

#[tokio::test]
async fn one_pass_deletes_exactly_the_expired_rows() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let db = &state.db;
        // The defaults: sessions idle 30 min / absolute 12 h, counters
        // forgotten after the guard's hour-long window,
        // spent codes and links kept 7 days, sent mail 30 days.
        let policy = Policy::from_settings(&state.settings);
        let now = state.clock.now();
        let user = a_user(db, now).await;

        a_session(db, "ended", user, now - min(1), now - min(1)).await;
        a_session(db, "idle", user, now - min(31), now + min(60)).await;
        a_session(db, "live", user, now - min(29), now + min(60)).await;

        a_challenge(db, "expired", now - min(2), None).await;
        a_challenge(db, "expired-used", now - min(2), Some(now - min(5))).await;
        a_challenge(db, "in-flight", now - Duration::seconds(30), None).await;
        a_challenge(db, "used", now + min(10), Some(now)).await;
        a_challenge(db, "fresh", now + min(10), None).await;

        a_counter(db, "quiet", 3, None, now - min(61)).await;
        a_counter(db, "lock-over", 5, Some(now - min(1)), now - min(61)).await;
        a_counter(db, "recent", 2, None, now - min(59)).await;
        a_counter(db, "locked", 5, Some(now + min(5)), now - min(70)).await;

        a_ceremony(db, user, now - Duration::seconds(1)).await;
        let ceremony = a_ceremony(db, user, now + min(4)).await;

        a_code(db, user, now - days(8), None).await;
        a_code(db, user, now - days(8) + min(10), Some(now - days(8))).await;
        let codes = BTreeSet::from([
            a_code(db, user, now - days(6), None).await,
            a_code(db, user, now + min(5), Some(now - min(60))).await,
            a_code(db, user, now + min(5), None).await,
        ]);

        a_link(db, user, now - days(8), None).await;
        a_link(db, user, now - days(8) + min(30), Some(now - days(8))).await;
        let links = BTreeSet::from([
            a_link(db, user, now - days(1), None).await,
            a_link(db, user, now + min(30), Some(now - min(1))).await,
            a_link(db, user, now + min(30), None).await,
        ]);

        // Address changes are told "expired" for the grace period, too.
        an_address_change(db, user, now - days(8)).await;
        let lapsed = a_user_at(db, "lapsed@example.fr", now).await;
        an_address_change(db, lapsed, now - days(1)).await;
        let waiting = a_user_at(db, "waiting@example.fr", now).await;
        an_address_change(db, waiting, now + min(60)).await;

        // A weekly summary's claim is looked at for a week at most.
        a_summary_claim(db, user, "2026-11-02", now - days(15)).await;
        a_summary_claim(db, user, "2026-11-16", now - days(13)).await;

        a_message(db, OutboxStatus::Sent, now - days(31)).await;
        a_message(db, OutboxStatus::Rejected, now - days(31)).await;
        let messages = BTreeSet::from([
            a_message(db, OutboxStatus::Sent, now - days(29)).await,
            a_message(db, OutboxStatus::Rejected, now - days(1)).await,
            a_message(db, OutboxStatus::Pending, now - days(60)).await,
        ]);

        let report = purge::purge_expired(db, &policy, now).await.unwrap();
        let expected = PurgeReport {
            sessions: 2,
            captcha_challenges: 2,
            throttle_counters: 2,
            webauthn_ceremonies: 1,
            login_codes: 2,
            user_tokens: 2,
            address_changes: 1,
            summary_claims: 1,
            api_tokens: 0,
            outbox_messages: 2,
        };
        assert_eq!(report, expected, "{}", backend.name);

        let ids = |rows: Vec<String>| rows.into_iter().collect::<BTreeSet<_>>();
        let sessions = session::Entity::find().all(db).await.unwrap();
        assert_eq!(
            ids(sessions.into_iter().map(|s| s.id).collect()),
            BTreeSet::from(["live".into()])
        );
        let challenges = captcha_challenge::Entity::find().all(db).await.unwrap();
        assert_eq!(
            ids(challenges.into_iter().map(|c| c.id).collect()),
            BTreeSet::from(["fresh".into(), "in-flight".into(), "used".into()])
        );
        let counters = login_throttle::Entity::find().all(db).await.unwrap();
        assert_eq!(
            ids(counters.into_iter().map(|c| c.key).collect()),
            BTreeSet::from(["locked".into(), "recent".into()])
        );
        let ceremonies = webauthn_ceremony::Entity::find().all(db).await.unwrap();
        assert_eq!(
            ceremonies.into_iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![ceremony]
        );
        let left = login_code::Entity::find().all(db).await.unwrap();
        assert_eq!(
            left.into_iter().map(|c| c.id).collect::<BTreeSet<_>>(),
            codes
        );
        let left = user_token::Entity::find().all(db).await.unwrap();
        assert_eq!(
            left.into_iter().map(|t| t.id).collect::<BTreeSet<_>>(),
            links
        );
        let left = address_change::Entity::find().all(db).await.unwrap();
        assert_eq!(
            left.into_iter().map(|c| c.user_id).collect::<BTreeSet<_>>(),
            BTreeSet::from([lapsed, waiting])
        );
        let left = weekly_summary::Entity::find().all(db).await.unwrap();
        assert_eq!(
            left.into_iter().map(|c| c.week).collect::<Vec<_>>(),
            vec!["2026-11-16".to_owned()]
        );
        let left = mail_outbox::Entity::find().all(db).await.unwrap();
        assert_eq!(
            left.into_iter().map(|m| m.id).collect::<BTreeSet<_>>(),
            messages
        );

        // Nothing more to do at the same time.
        let again = purge::purge_expired(db, &policy, now).await.unwrap();
        assert_eq!(again, PurgeReport::default(), "{}", backend.name);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_purging_at_once_delete_each_row_once() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let db = &state.db;
        let now = state.clock.now();
        // More than a batch of expired challenges, and one live.
        let expired = purge::BATCH + 500;
        let rows: Vec<_> = (0..expired)
            .map(|i| challenge(&format!("old-{i}"), now - min(30), None))
            .collect();
        for chunk in rows.chunks(500) {
            captcha_challenge::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await
                .unwrap();
        }
        a_challenge(db, "fresh", now + min(10), None).await;
        let user = a_user(db, now).await;
        for i in 0..20 {
            a_session(db, &format!("old-{i}"), user, now - min(60), now - min(1)).await;
            a_message(db, OutboxStatus::Sent, now - days(40)).await;
        }

        // Two server instances (their own purgers, one database), at once.
        let (first, second) = (Purger::new(&state), Purger::new(&state));
        let (a, b) = tokio::join!(first.pass(), second.pass());
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(
            a.captcha_challenges + b.captcha_challenges,
            expired,
            "{}",
            backend.name
        );
        assert_eq!(a.sessions + b.sessions, 20);
        assert_eq!(a.outbox_messages + b.outbox_messages, 20);
        assert_eq!(
            captcha_challenge::Entity::find().count(db).await.unwrap(),
            1
        );
        assert_eq!(session::Entity::find().count(db).await.unwrap(), 0);
        assert_eq!(mail_outbox::Entity::find().count(db).await.unwrap(), 0);
    })
    .await;
}
