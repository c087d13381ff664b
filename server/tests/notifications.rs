//! *Paramétrer vos notifications* and the weekly summary (rule P2) on every
//! backend: topics saved and read back; the summary of a week's movements
//! goes once to each manager who asked for it before the week ended, in
//! their language, to their contact address; nothing moved, nothing sent;
//! two instances looking at once send one e-mail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::entities::{mail_outbox, weekly_summary};
use app::backend::notifications::{self, summary};
use app::backend::structures::{self, services};
use app::domain::notifications::{Topic, Week};
use app::domain::preferences::Language;
use app::domain::structures::check_service;
use chrono::{DateTime, Duration, Utc};
use common::{active_user, count_events, outside_the_eu};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const IP: &str = "192.0.2.9";

/// Mails queued to `to`.
async fn mails_to(state: &AppState, to: &str) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Recipient.eq(to))
        .all(&state.db)
        .await
        .unwrap()
}

async fn summaries_to(state: &AppState, to: &str) -> Vec<mail_outbox::Model> {
    mails_to(state, to)
        .await
        .into_iter()
        .filter(|mail| mail.subject.contains("hebdomadaire") || mail.subject.contains("Weekly"))
        .collect()
}

/// The first Monday after `now`, plus an hour: the week of `now` has ended.
fn next_monday(now: DateTime<Utc>) -> DateTime<Utc> {
    Week::last_ended(now + Duration::days(7)).end() + Duration::hours(1)
}

#[tokio::test]
async fn topics_are_saved_and_a_kept_topic_keeps_its_date() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let user = active_user(&state, "sujets@example.fr").await;
        assert!(
            notifications::topics(&state.db, user.id)
                .await
                .unwrap()
                .is_empty()
        );
        notifications::save(
            &state,
            user.id,
            &[Topic::Invoicing, Topic::WeeklySummary],
            IP,
        )
        .await
        .unwrap();
        assert_eq!(
            notifications::topics(&state.db, user.id).await.unwrap(),
            vec![Topic::Invoicing, Topic::WeeklySummary]
        );
        // A day later, one kept, one dropped, one added.
        state.clock.advance(24 * 3600);
        notifications::save(
            &state,
            user.id,
            &[Topic::Commitments, Topic::WeeklySummary],
            IP,
        )
        .await
        .unwrap();
        assert_eq!(
            notifications::topics(&state.db, user.id).await.unwrap(),
            vec![Topic::Commitments, Topic::WeeklySummary]
        );
        assert_eq!(
            count_events(&state, "account.notifications_changed").await,
            2
        );
        // The kept choice dates from the first save: a summary chosen before
        // a week ended stays due for that week.
        let kept = app::backend::entities::notification_topic::Entity::find_by_id((
            user.id,
            Topic::WeeklySummary.code().to_owned(),
        ))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
        assert!(
            kept.chosen_at < state.clock.now() - Duration::hours(23),
            "{}",
            backend.name
        );
        notifications::save(&state, user.id, &[], IP).await.unwrap();
        assert!(
            notifications::topics(&state.db, user.id)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_week_of_movements_is_summarised_once_to_the_managers_who_asked() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let manager = active_user(&state, "gestion@example.fr").await;
        let other_manager = active_user(&state, "sans-recap@example.fr").await;
        let quiet_manager = active_user(&state, "calme@example.fr").await;
        let busy = structures::create(
            &state,
            &manager,
            &outside_the_eu("DE111111111", "Muster GmbH"),
            IP,
        )
        .await
        .unwrap();
        structures::create(
            &state,
            &other_manager,
            &outside_the_eu("DE222222222", "Andere GmbH"),
            IP,
        )
        .await
        .unwrap();
        structures::create(
            &state,
            &quiet_manager,
            &outside_the_eu("DE333333333", "Ruhig GmbH"),
            IP,
        )
        .await
        .unwrap();
        for who in [&manager, &quiet_manager] {
            notifications::save(&state, who.id, &[Topic::WeeklySummary], IP)
                .await
                .unwrap();
        }
        // The other manager chose applications, not the summary.
        notifications::save(&state, other_manager.id, &[Topic::Invoicing], IP)
            .await
            .unwrap();
        // This week, two services on Muster GmbH, one closed again.
        let achats = services::add(
            &state,
            manager.id,
            busy.id,
            &check_service("ACHATS", "Achats").unwrap(),
        )
        .await
        .unwrap();
        services::add(
            &state,
            manager.id,
            busy.id,
            &check_service("VENTES", "Ventes").unwrap(),
        )
        .await
        .unwrap();
        services::set_active(&state, manager.id, busy.id, achats.id, false)
            .await
            .unwrap();
        // Closing a closed service is no movement.
        services::set_active(&state, manager.id, busy.id, achats.id, false)
            .await
            .unwrap();

        // Before the week ends, nothing is due.
        let now = state.clock.now();
        let report = summary::send_due(&state.db, &state.settings, now)
            .await
            .unwrap();
        assert_eq!(report.sent, 0);
        assert!(summaries_to(&state, "gestion@example.fr").await.is_empty());

        // Monday: two instances look at once.
        let monday = next_monday(now);
        let other_instance = backend.state();
        let (first, second) = tokio::join!(
            summary::send_due(&state.db, &state.settings, monday),
            summary::send_due(&other_instance.db, &other_instance.settings, monday),
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(
            first.sent + second.sent,
            1,
            "[{}] {first:?} {second:?}",
            backend.name
        );
        assert_eq!(first.quiet + second.quiet, 1);
        let sent = summaries_to(&state, "gestion@example.fr").await;
        assert_eq!(sent.len(), 1, "{}", backend.name);
        let text = &sent[0].text_body;
        assert!(text.contains("Muster GmbH (DE111111111)"), "{text}");
        assert!(
            text.contains("Services créés, fermés ou rouverts : 3"),
            "{text}"
        );
        assert!(
            !text.contains("Andere GmbH") && !text.contains("Ruhig GmbH"),
            "{text}"
        );
        // Asked for nothing, or nothing moved: no e-mail.
        assert!(
            summaries_to(&state, "sans-recap@example.fr")
                .await
                .is_empty()
        );
        assert!(summaries_to(&state, "calme@example.fr").await.is_empty());

        // Later looks that week send nothing more.
        let again = summary::send_due(&state.db, &state.settings, monday + Duration::days(2))
            .await
            .unwrap();
        assert_eq!((again.sent, again.quiet), (0, 0));
        assert_eq!(summaries_to(&state, "gestion@example.fr").await.len(), 1);
        // Both recipients' weeks are recorded, one as sent.
        let claims = weekly_summary::Entity::find()
            .filter(weekly_summary::Column::Week.eq(Week::last_ended(monday).key()))
            .count(&state.db)
            .await
            .unwrap();
        assert_eq!(claims, 2);

        // A week without movement: nothing.
        let quiet = summary::send_due(&state.db, &state.settings, monday + Duration::days(7))
            .await
            .unwrap();
        assert_eq!((quiet.sent, quiet.quiet), (0, 2));
        assert_eq!(summaries_to(&state, "gestion@example.fr").await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_summary_is_in_the_recipients_language_and_only_for_weeks_after_the_choice() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let manager = active_user(&state, "weekly@example.fr").await;
        app::backend::accounts::preferences::save(
            &state,
            manager.id,
            Some(Language::En),
            None,
            None,
        )
        .await
        .unwrap();
        let structure = structures::create(
            &state,
            &manager,
            &outside_the_eu("DE444444444", "Englisch GmbH"),
            IP,
        )
        .await
        .unwrap();
        services::add(
            &state,
            manager.id,
            structure.id,
            &check_service("ACHATS", "Achats").unwrap(),
        )
        .await
        .unwrap();
        let monday = next_monday(state.clock.now());
        // Chosen after the week ended: that week is not covered.
        state
            .clock
            .advance(u32::try_from((monday - state.clock.now()).num_seconds()).unwrap());
        notifications::save(&state, manager.id, &[Topic::WeeklySummary], IP)
            .await
            .unwrap();
        let report = summary::send_due(&state.db, &state.settings, state.clock.now())
            .await
            .unwrap();
        assert_eq!((report.sent, report.quiet), (0, 0), "{}", backend.name);
        // This week moves; next Monday it is summarised, in English.
        services::add(
            &state,
            manager.id,
            structure.id,
            &check_service("VENTES", "Ventes").unwrap(),
        )
        .await
        .unwrap();
        let report = summary::send_due(&state.db, &state.settings, next_monday(state.clock.now()))
            .await
            .unwrap();
        assert_eq!(report.sent, 1);
        let sent = summaries_to(&state, "weekly@example.fr").await;
        assert_eq!(sent.len(), 1);
        assert!(
            sent[0].subject.starts_with("[Facturo] Weekly summary"),
            "{}",
            sent[0].subject
        );
        assert!(
            sent[0]
                .text_body
                .contains("Services created, closed or reopened: 1"),
            "{}",
            sent[0].text_body
        );
    })
    .await;
}
