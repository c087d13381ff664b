//! *Préférence notifications* on *Mon compte* (rule P2, seed 001 §2.2.3):
//! the topics chosen, and *Paramétrer vos notifications*, which opens the
//! choice in place (the seed's pop-up window): the applications to be
//! notified about and the weekly summary of the structures' movements
//! (`backend::notifications::summary`), saved with *Enregistrer*. The
//! button tells whether the choice is open (`aria-expanded`); the focus
//! goes to the first box, and back to the button when the choice closes.

use crate::api::my_account::save_notifications;
use crate::components::form::{FormMessage, focus_soon};
use crate::components::messages::error_text;
use crate::domain::notifications::{Topic, TopicSet};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

fn topic_label(i18n: I18nContext<Locale>, topic: Topic) -> &'static str {
    match topic {
        Topic::CessionCertificates => t_string!(i18n, account.topic_cession),
        Topic::Commitments => t_string!(i18n, account.topic_commitments),
        Topic::Invoicing => t_string!(i18n, account.topic_invoicing),
        Topic::WeeklySummary => t_string!(i18n, account.topic_summary),
    }
}

/// The section, starting from the account's saved topics.
#[component]
pub fn NotificationsSection(chosen: TopicSet) -> impl IntoView {
    let i18n = use_i18n();
    let saved = RwSignal::new(chosen);
    let picks = RwSignal::new(chosen);
    let open = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let save = Action::new(move |topics: &TopicSet| save_notifications(topics.bits()));
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            saved.set(picks.get_untracked());
            open.set(false);
            message.set(Some((
                false,
                t_string!(i18n, account.notifications_saved).to_owned(),
            )));
        }
        Some(Err(error)) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    Effect::new(move |was_open: Option<bool>| {
        let now = open.get();
        if now {
            focus_soon("#parametrer-notifications input");
        } else if was_open == Some(true)
            && let Some(button) = opener.get_untracked()
        {
            let _ = button.focus();
        }
        now
    });
    let summary = move || {
        let chosen = saved.get();
        if chosen.is_empty() {
            t_string!(i18n, account.notifications_none).to_owned()
        } else {
            let names: Vec<&str> = chosen
                .topics()
                .into_iter()
                .map(|topic| topic_label(i18n, topic))
                .collect();
            let names = names.join(", ");
            t_string!(i18n, account.notifications_chosen, names)
        }
    };
    let boxes = Topic::ALL
        .into_iter()
        .map(|topic| {
            let id = format!("notification-{}", topic.code());
            view! {
                <div class="field field-inline">
                    <input
                        type="checkbox"
                        id=id.clone()
                        prop:checked=move || picks.get().contains(topic)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picks.update(|picks| *picks = picks.with(topic, on));
                        }
                    />
                    <label for=id>{move || topic_label(i18n, topic)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="preference-notifications">
            <h2 id="preference-notifications">{t!(i18n, account.notifications)}</h2>
            <p>{summary}</p>
            <FormMessage message />
            <button
                type="button"
                class="button-secondary"
                node_ref=opener
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="parametrer-notifications"
                on:click=move |_| {
                    picks.set(saved.get_untracked());
                    message.set(None);
                    open.update(|open| *open = !*open);
                }
            >
                {t!(i18n, account.notifications_set_up)}
            </button>
            <div id="parametrer-notifications" hidden=move || !open.get()>
                <fieldset>
                    <legend>{t!(i18n, account.notifications_legend)}</legend>
                    {boxes}
                </fieldset>
                <p class="hint">{t!(i18n, account.topic_summary_hint)}</p>
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        disabled=move || save.pending().get()
                        on:click=move |_| {
                            save.dispatch(picks.get_untracked());
                        }
                    >
                        {t!(i18n, account.save)}
                    </button>
                    <button type="button" class="button-secondary" on:click=move |_| open.set(false)>
                        {t!(i18n, account.cancel)}
                    </button>
                </div>
            </div>
        </section>
    }
}
