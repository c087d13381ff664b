//! *Mes sessions* (ASVS 7.4.3, 7.5.2): where the account is logged in now,
//! and ending one session or all the others. Ending needs a recent login,
//! like a factor change; right after a factor change the section says why
//! ending the others may matter.

use super::FactorsContext;
use crate::api::my_sessions::{SessionView, end_other_sessions, end_session};
use crate::components::form::FormMessage;
use crate::components::messages::{date_time_text, error_text};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn SessionsSection() -> impl IntoView {
    let i18n = use_i18n();
    let cx = expect_context::<FactorsContext>();
    let status = cx.sessions_status;
    let report = Callback::new(move |result: Result<String, AppError>| match result {
        Ok(done) => {
            status.set(Some((false, done)));
            cx.sessions.refetch();
        }
        Err(error) => {
            cx.needs_reauth(&error);
            status.set(Some((true, error_text(i18n, &error))));
        }
    });
    let end_others = Action::new(move |_: &()| end_other_sessions());
    Effect::new(move |_| {
        if let Some(result) = end_others.value().get() {
            report
                .run(result.map(|n| t_string!(i18n, sessions.others_ended, count = n).to_string()));
        }
    });
    // A factor was just added, removed or changed (ASVS 7.4.3).
    let factor_changed = move || {
        [cx.app_status, cx.keys_status, cx.recovery_status]
            .iter()
            .any(|s| matches!(s.get(), Some((false, _))))
    };
    let listed = move || cx.sessions.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="panel" aria-labelledby="sessions-titre">
            <h2 id="sessions-titre">{t!(i18n, sessions.heading)}</h2>
            <p>{t!(i18n, sessions.intro)}</p>
            <FormMessage message=status />
            <ul class="factor-list">
                {move || {
                    listed()
                        .into_iter()
                        .map(|session| view! { <SessionItem session report /> })
                        .collect_view()
                }}
            </ul>
            <Show when=move || listed().iter().any(|s| !s.current)>
                <Show when=factor_changed>
                    <p class="notice">{t!(i18n, sessions.after_factor_change)}</p>
                </Show>
                <button type="button" class="button-secondary" on:click=move |_| {
                    end_others.dispatch(());
                }>{t!(i18n, sessions.end_others)}</button>
            </Show>
        </section>
    }
}

/// One session: where and when, and *Fermer cette session* (not for this one).
#[component]
fn SessionItem(session: SessionView, report: Callback<Result<String, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = session.id.clone();
    let end = Action::new(move |_: &()| end_session(id.clone()));
    Effect::new(move |_| {
        if let Some(result) = end.value().get() {
            report.run(result.map(|()| t_string!(i18n, sessions.ended).to_owned()));
        }
    });
    let SessionView {
        current,
        opened_at,
        last_seen_at,
        client_address,
        device,
        awaiting_second_factor,
        ..
    } = session;
    let device = StoredValue::new(device);
    let device_text = move || {
        device
            .get_value()
            .unwrap_or_else(|| t_string!(i18n, sessions.unknown_device).to_owned())
    };
    let end_label = move || {
        t_string!(
            i18n,
            sessions.end_one,
            device = device_text(),
            date = date_time_text(i18n, opened_at)
        )
        .to_string()
    };
    view! {
        <li>
            <span class="factor-name">{device_text}</span>
            {current.then(|| view! { <strong class="badge">{t!(i18n, sessions.this_one)}</strong> })}
            <span class="factor-meta">
                {client_address
                    .map(|address| move || t_string!(i18n, sessions.address, address = address.clone()).to_string())}
                " "
                {move || {
                    t_string!(
                        i18n, sessions.dates, opened = date_time_text(i18n, opened_at), seen = date_time_text(i18n, last_seen_at)
                    )
                        .to_string()
                }}
                {awaiting_second_factor.then(|| view! { " " {t!(i18n, sessions.awaiting_second_factor)} })}
            </span>
            {(!current)
                .then(|| {
                    view! {
                        <button type="button" class="button-secondary" aria-label=end_label on:click=move |_| {
                            end.dispatch(());
                        }>{t!(i18n, sessions.end_short)}</button>
                    }
                })}
        </li>
    }
}
