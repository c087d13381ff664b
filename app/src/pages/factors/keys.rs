//! Security keys (rule F3): the list with names and dates, renaming and
//! removing, and *Ajouter une clé de sécurité* → *Ajouter une nouvelle clé*,
//! which runs the browser's WebAuthn ceremony (`crate::webauthn`).

use super::{FactorsContext, TrashIcon};
use crate::api::factors::{
    KeySummary, finish_key_registration, remove_key, rename_key, start_key_registration,
};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{browser_key_text, date_text, device_name_error, error_text};
use crate::error::AppError;
use crate::i18n::*;
use crate::webauthn::{self, KeyCeremonyError};
use leptos::prelude::*;

#[component]
pub fn KeysSection() -> impl IntoView {
    let i18n = use_i18n();
    let cx = expect_context::<FactorsContext>();
    let status = cx.keys_status;
    let adding = RwSignal::new(false);
    let overview = move || cx.overview.get().and_then(Result::ok);
    let report = Callback::new(move |result: Result<String, AppError>| match result {
        Ok(done) => {
            status.set(Some((false, done)));
            cx.overview.refetch();
        }
        Err(error) => {
            cx.needs_reauth(&error);
            status.set(Some((true, error_text(i18n, &error))));
        }
    });
    view! {
        <section class="panel" aria-labelledby="cles-titre">
            <h2 id="cles-titre">{t!(i18n, factors.keys_heading)}</h2>
            <FormMessage message=status />
            {move || {
                let keys = overview().map(|o| o.keys).unwrap_or_default();
                if keys.is_empty() {
                    view! { <p>{t!(i18n, factors.keys_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="factor-list">
                            {keys.into_iter().map(|key| view! { <KeyItem key report /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            {move || {
                if !overview().is_some_and(|o| o.keys_available) {
                    return view! { <p>{t!(i18n, errors.keys_unavailable)}</p> }.into_any();
                }
                if adding.get() {
                    view! { <NewKeyForm adding report /> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" on:click=move |_| adding.set(true)>
                            {t!(i18n, factors.add_key)}
                        </button>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One key: its name and dates, *Renommer*, and the trash icon.
#[component]
fn KeyItem(key: KeySummary, report: Callback<Result<String, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let new_name = RwSignal::new(key.name.clone());
    let id = key.id;
    let remove = Action::new(move |_: &()| remove_key(id));
    let rename = Action::new(move |name: &String| rename_key(id, name.clone()));
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            report.run(result.map(|()| t_string!(i18n, factors.key_removed).to_owned()));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = rename.value().get() {
            if result.is_ok() {
                editing.set(false);
            }
            report.run(result.map(|()| t_string!(i18n, factors.key_renamed).to_owned()));
        }
    });
    let (name, added_at, last_used_at) = (key.name.clone(), key.added_at, key.last_used_at);
    let remove_label = {
        let name = name.clone();
        move || t_string!(i18n, factors.remove_key, name = name.clone()).to_string()
    };
    let rename_label = {
        let name = name.clone();
        move || t_string!(i18n, factors.rename_key, name = name.clone()).to_string()
    };
    let field_label = {
        let name = name.clone();
        Signal::derive(move || t_string!(i18n, factors.new_name, name = name.clone()).to_string())
    };
    view! {
        <li>
            <span class="factor-name">{name.clone()}</span>
            " "
            <span class="factor-meta">
                {move || t_string!(i18n, factors.key_added_on, date = date_text(i18n, added_at)).to_string()}
                ", "
                {move || match last_used_at {
                    Some(at) => t_string!(i18n, factors.key_last_used, date = date_text(i18n, at)).to_string(),
                    None => t_string!(i18n, factors.key_never_used).to_owned(),
                }}
            </span>
            <button type="button" class="button-secondary" aria-label=rename_label on:click=move |_| editing.set(true)>
                {t!(i18n, factors.rename_key_short)}
            </button>
            <button
                type="button"
                class="icon-button"
                aria-label=remove_label.clone()
                title=remove_label
                on:click=move |_| {
                    remove.dispatch(());
                }
            >
                <TrashIcon />
            </button>
            <Show when=move || editing.get()>
                <form method="post"
                    class="form rename-form"
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        rename.dispatch(new_name.get_untracked());
                    }
                >
                    <TextField
                        id="nouveau-nom-cle"
                        label=field_label
                        value=new_name
                        required=true
                    />
                    <div class="actions">
                        <button type="submit" class="button">{t!(i18n, factors.save_name)}</button>
                        <button type="button" class="button-secondary" on:click=move |_| editing.set(false)>
                            {t!(i18n, factors.cancel)}
                        </button>
                    </div>
                </form>
            </Show>
        </li>
    }
}

/// The registration ceremony: the server's options,
/// `navigator.credentials.create`, the new key sent back under `name`.
/// `#[lazy]`: a WASM chunk fetched on first use (see `log_in_with_key`).
#[lazy]
async fn register_key(name: String) -> Result<(), KeyCeremonyError> {
    let options = start_key_registration()
        .await
        .map_err(KeyCeremonyError::Server)?;
    let answer = webauthn::create(options)
        .await
        .map_err(KeyCeremonyError::Browser)?;
    finish_key_registration(name, answer)
        .await
        .map_err(KeyCeremonyError::Server)
}

/// The key's name, then *Ajouter une nouvelle clé*: the WebAuthn ceremony.
#[component]
fn NewKeyForm(adding: RwSignal<bool>, report: Callback<Result<String, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let ceremony = Action::new_local(move |name: &String| register_key(name.clone()));
    Effect::new(move |_| match ceremony.value().get() {
        Some(Ok(())) => {
            adding.set(false);
            report.run(Ok(t_string!(i18n, factors.key_added).to_owned()));
        }
        Some(Err(KeyCeremonyError::Server(error))) => report.run(Err(error)),
        _ => {}
    });
    let name_error = device_name_error(i18n, name, tried);
    let message = Signal::derive(move || {
        if ceremony.pending().get() {
            return Some((false, t_string!(i18n, factors.key_waiting).to_owned()));
        }
        match ceremony.value().get() {
            Some(Err(KeyCeremonyError::Browser(error))) => {
                Some((true, browser_key_text(i18n, error)))
            }
            _ => None,
        }
    });
    view! {
        <form method="post"
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                if name_error.get_untracked().is_none() {
                    ceremony.dispatch(name.get_untracked());
                }
            }
        >
            <FormMessage message />
            <TextField
                id="nom-cle"
                label=Signal::derive(move || t_string!(i18n, factors.key_name).to_owned())
                value=name
                error=name_error
                hint=Signal::derive(move || t_string!(i18n, factors.key_hint).to_owned())
                required=true
            />
            <div class="actions">
                <button type="submit" class="button" disabled=move || ceremony.pending().get()>
                    {t!(i18n, factors.new_key)}
                </button>
                <button type="button" class="button-secondary" on:click=move |_| adding.set(false)>
                    {t!(i18n, factors.cancel)}
                </button>
            </div>
        </form>
    }
}
