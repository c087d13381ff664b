//! *Clients de l'API* on *Compte technique* (T4): for the primary manager,
//! the structure's OAuth clients with their creation and last-use dates,
//! *Créer un client de l'API* (the secret shown once, and a file), and
//! *Révoquer*, after a confirmation.

use crate::api::technical::{ApiClientRow, api_clients, create_api_client, revoke_api_client};
use crate::components::form::FormMessage;
use crate::components::messages::{date_time_text, error_text};
use crate::components::text_file::text_file_href;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ApiClients(structure_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let listed = Resource::new(move || structure_id, api_clients);
    let message = RwSignal::new(None::<(bool, String)>);
    let create = Action::new(move |(): &()| create_api_client(structure_id));
    let revoke = Action::new(move |id: &i32| revoke_api_client(structure_id, *id));
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            message.set(match result {
                Ok(_) => Some((false, t_string!(i18n, technical.client_created).to_owned())),
                Err(error) => Some((true, error_text(i18n, &error))),
            });
            listed.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(result) = revoke.value().get() {
            message.set(Some(match result {
                Ok(()) => (false, t_string!(i18n, technical.client_revoked).to_owned()),
                Err(error) => (true, error_text(i18n, &error)),
            }));
            listed.refetch();
        }
    });
    let issued = move || {
        create.value().get().and_then(Result::ok).map(|issued| {
            let file = text_file_href(&[
                t_string!(i18n, technical.client_file_title).to_owned(),
                format!("client_id : {}", issued.client_id),
                format!("client_secret : {}", issued.secret.expose()),
            ]);
            view! {
                <dl class="summary">
                    <dt>{t!(i18n, technical.client_id)}</dt>
                    <dd><code id="client-id">{issued.client_id}</code></dd>
                    <dt>{t!(i18n, technical.client_secret)}</dt>
                    <dd><code id="client-secret">{issued.secret.expose().to_owned()}</code></dd>
                </dl>
                <p class="notice" role="note">{t!(i18n, technical.client_secret_once)}</p>
                <p><a href=file download="client-api.txt">{t!(i18n, technical.client_export)}</a></p>
            }
        })
    };
    let row = move |client: ApiClientRow| {
        let (id, shown_id) = (client.id, client.client_id.clone());
        let (created, used, revoked) = (client.created_at, client.last_used_at, client.revoked_at);
        let label = {
            let shown_id = shown_id.clone();
            move || {
                t_string!(i18n, technical.client_revoke_named, id = shown_id.clone()).to_string()
            }
        };
        view! {
            <tr>
                <th scope="row"><code>{shown_id}</code></th>
                <td>{move || date_time_text(i18n, created)}</td>
                <td>{move || used.map(|at| date_time_text(i18n, at))
                    .unwrap_or_else(|| t_string!(i18n, technical.client_never).to_owned())}</td>
                <td>{move || match revoked {
                    Some(at) => t_string!(i18n, technical.client_revoked_on, date = date_time_text(i18n, at)).to_string(),
                    None => t_string!(i18n, technical.active).to_owned(),
                }}</td>
                <td>
                    {revoked.is_none().then(|| view! {
                        <button type="button" class="button-secondary" aria-label=label on:click=move |_| {
                            let question = t_string!(i18n, technical.client_revoke_confirm);
                            if window().confirm_with_message(question).unwrap_or(false) {
                                revoke.dispatch(id);
                            }
                        }>
                            {t!(i18n, technical.client_revoke)}
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    let table = move || {
        listed.get().map(|found| match found {
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(list) if list.is_empty() => {
                view! { <p>{t!(i18n, technical.clients_none)}</p> }.into_any()
            }
            Ok(list) => view! {
                <table class="data-table">
                    <caption>{t!(i18n, technical.clients_heading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, technical.client_id)}</th>
                            <th scope="col">{t!(i18n, technical.col_created)}</th>
                            <th scope="col">{t!(i18n, technical.client_last_used)}</th>
                            <th scope="col">{t!(i18n, technical.col_status)}</th>
                            <th scope="col">{t!(i18n, technical.client_actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                </table>
            }
            .into_any(),
        })
    };
    view! {
        <section aria-labelledby="clients-api" class="api-clients">
            <h2 id="clients-api">{t!(i18n, technical.clients_heading)}</h2>
            <p>{t!(i18n, technical.clients_intro)}</p>
            <FormMessage message=message />
            {issued}
            <div class="actions">
                <button type="button" disabled=move || create.pending().get() on:click=move |_| {
                    create.dispatch(());
                }>
                    {t!(i18n, technical.client_create)}
                </button>
            </div>
            <Transition>{table}</Transition>
        </section>
    }
}
