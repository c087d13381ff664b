//! *Compte technique* (seed 004): *Type de demande*, the structure, then
//! *Soumettre*. Choosing the password's reset shows the new password at
//! once, which only *Soumettre* puts in force (the server keeps a hash of
//! what it showed, and refuses any other). Any attached user sees
//! *Liste des comptes techniques*; only the primary manager may act, and
//! the others are told so. Below, the primary manager manages the
//! structure's API clients (`clients.rs`).

use super::clients::ApiClients;
use super::issued::{AccountsTable, IssuedPanel};
use crate::api::technical::{
    IssuedPassword, create_technical_account, propose_technical_password, set_technical_status,
    submit_technical_password, technical_account, technical_structures,
};
use crate::components::form::FormMessage;
use crate::components::messages::error_text;
use crate::components::page_title::PageTitle;
use crate::domain::technical::{TechnicalRequest, TechnicalStatus};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn request_text(i18n: I18nContext<Locale>, request: TechnicalRequest) -> &'static str {
    match request {
        TechnicalRequest::Activate => t_string!(i18n, technical.req_activate),
        TechnicalRequest::ChangeContact => t_string!(i18n, technical.req_contact),
        TechnicalRequest::Create => t_string!(i18n, technical.req_create),
        TechnicalRequest::Deactivate => t_string!(i18n, technical.req_deactivate),
        TechnicalRequest::ResetPassword => t_string!(i18n, technical.req_reset),
    }
}

/// What *Soumettre* did, for the message.
#[derive(Clone)]
enum Done {
    Created(IssuedPassword),
    Submitted,
    Status(TechnicalStatus),
}

#[component]
pub fn TechnicalAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let request = RwSignal::new(None::<TechnicalRequest>);
    // `?structure=ID`: from a structure's page.
    let structure = RwSignal::new(
        query
            .read_untracked()
            .get("structure")
            .and_then(|id| id.parse::<i32>().ok()),
    );
    let choices = Resource::new(|| (), |()| technical_structures());
    let overview = Resource::new(
        move || structure.get(),
        |id| async move {
            match id {
                Some(id) => Some(technical_account(id).await),
                None => None,
            }
        },
    );
    let issued = RwSignal::new(None::<IssuedPassword>);
    let in_force = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);

    let propose = Action::new(move |id: &i32| propose_technical_password(*id));
    // Choosing the reset and a structure shows the new password at once.
    Effect::new(move |_| {
        let (chosen, id) = (request.get(), structure.get());
        issued.set(None);
        in_force.set(false);
        message.set(None);
        if let (Some(TechnicalRequest::ResetPassword), Some(id)) = (chosen, id) {
            propose.dispatch(id);
        }
    });
    Effect::new(move |_| match propose.value().get() {
        Some(Ok(proposed)) => issued.set(Some(proposed)),
        Some(Err(error)) => message.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });

    let submit = Action::new(move |(chosen, id): &(TechnicalRequest, i32)| {
        let (chosen, id) = (*chosen, *id);
        let password = issued
            .get_untracked()
            .map(|i| i.password.expose().to_owned());
        async move {
            match chosen {
                TechnicalRequest::Create => create_technical_account(id).await.map(Done::Created),
                TechnicalRequest::ResetPassword => {
                    let password = password.unwrap_or_default();
                    submit_technical_password(id, password)
                        .await
                        .map(|_| Done::Submitted)
                }
                TechnicalRequest::Activate | TechnicalRequest::Deactivate => {
                    let status = if chosen == TechnicalRequest::Activate {
                        TechnicalStatus::Active
                    } else {
                        TechnicalStatus::Inactive
                    };
                    set_technical_status(id, status)
                        .await
                        .map(|()| Done::Status(status))
                }
                TechnicalRequest::ChangeContact => Err(AppError::invalid("request")),
            }
        }
    });
    Effect::new(move |_| {
        let Some(result) = submit.value().get() else {
            return;
        };
        // A refusal changed nothing: only a success reads the line again.
        if result.is_ok() {
            overview.refetch();
        }
        message.set(Some(match result {
            Ok(Done::Created(created)) => {
                let text = t_string!(i18n, technical.created, login = created.login.clone());
                issued.set(Some(created));
                in_force.set(true);
                (false, text.to_string())
            }
            Ok(Done::Submitted) => {
                in_force.set(true);
                (false, t_string!(i18n, technical.reset_done).to_owned())
            }
            Ok(Done::Status(TechnicalStatus::Active)) => {
                (false, t_string!(i18n, technical.activated).to_owned())
            }
            Ok(Done::Status(TechnicalStatus::Inactive)) => {
                (false, t_string!(i18n, technical.deactivated).to_owned())
            }
            Err(error) => (true, error_text(i18n, &error)),
        }));
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(chosen), Some(id)) = (request.get_untracked(), structure.get_untracked()) {
            submit.dispatch((chosen, id));
        } else {
            let text = t_string!(i18n, technical.choose_both).to_owned();
            message.set(Some((true, text)));
        }
    };

    let structure_select = move || {
        choices.get().map(|found| match found {
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(list) if list.is_empty() => {
                view! { <p>{t!(i18n, technical.no_structures)}</p> }.into_any()
            }
            Ok(list) => {
                let options = list
                    .into_iter()
                    .map(|s| {
                        let id = s.id;
                        view! {
                            <option value=id.to_string() selected=move || structure.get() == Some(id)>
                                {s.identifier} " - " {s.name}
                            </option>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="field">
                        <label for="structure">{t!(i18n, technical.structure)} " *"</label>
                        <select
                            id="structure"
                            name="structure"
                            required
                            on:change=move |ev| structure.set(event_target_value(&ev).parse().ok())
                        >
                            <option value="" selected=move || structure.get().is_none()>
                                {t!(i18n, technical.none)}
                            </option>
                            {options}
                        </select>
                    </div>
                }
                .into_any()
            }
        })
    };

    let details = move || {
        overview.get().flatten().map(|found| match found {
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(found) => {
                let login = found.account.as_ref().map(|a| a.login.clone());
                let contact = found
                    .account
                    .as_ref()
                    .and_then(|a| a.contact.clone())
                    .unwrap_or_default();
                let refused = (!found.viewer_primary).then(|| {
                    view! { <p class="notice" role="note">{t!(i18n, technical.not_primary_manager)}</p> }
                });
                let contact_rule = move || {
                    (request.get() == Some(TechnicalRequest::ChangeContact)).then(|| {
                        let email = contact.clone();
                        view! {
                            <p class="notice" role="note">
                                {move || t_string!(i18n, technical.contact_rule, email = email.clone()).to_string()}
                                " "
                                <A href="/mon-compte">{t!(i18n, technical.my_account_link)}</A>
                            </p>
                        }
                    })
                };
                view! {
                    {refused}
                    <dl class="summary">
                        <dt>{t!(i18n, technical.company_name)}</dt>
                        <dd>{found.name.clone()}</dd>
                        <dt>{t!(i18n, technical.account)}</dt>
                        <dd>{login.unwrap_or_else(|| "—".to_owned())}</dd>
                    </dl>
                    {contact_rule}
                    <AccountsTable found />
                }
                .into_any()
            }
        })
    };

    // *Clients de l'API*, for the primary manager of the chosen structure;
    // kept while the overview reloads, so that a secret just shown stays.
    let primary_of = Memo::new(move |_| {
        overview
            .get()
            .flatten()
            .and_then(Result::ok)
            .filter(|found| found.viewer_primary)
            .map(|found| found.structure_id)
    });

    let shows_submit = move || {
        let proposal_shown = issued.get().is_some() && !in_force.get();
        request
            .get()
            .is_some_and(|r| r.offers_submit(proposal_shown))
    };

    view! {
        <PageTitle text=move || t_string!(i18n, technical.title) />
        <h1>{t!(i18n, technical.title)}</h1>
        <p>{t!(i18n, technical.description)}</p>
        <p class="notice" role="note">{t!(i18n, technical.warning)}</p>
        <p>
            {t!(i18n, technical.api_intro)} " "
            <a href="/cpro/openapi.json">{t!(i18n, technical.api_doc)}</a>
        </p>
        <FormMessage message=message />
        <form method="post" class="form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="type-de-demande">{t!(i18n, technical.request_type)} " *"</label>
                <select
                    id="type-de-demande"
                    name="type-de-demande"
                    required
                    on:change=move |ev| request.set(TechnicalRequest::from_code(&event_target_value(&ev)))
                >
                    <option value="" selected=move || request.get().is_none()>{t!(i18n, technical.none)}</option>
                    {TechnicalRequest::ALL
                        .into_iter()
                        .map(|r| view! { <option value=r.code()>{move || request_text(i18n, r)}</option> })
                        .collect_view()}
                </select>
            </div>
            <Transition>{structure_select}</Transition>
            <Transition>{details}</Transition>
            {move || issued.get().map(|shown| view! { <IssuedPanel issued=shown in_force /> })}
            <Show when=shows_submit>
                <button type="submit" disabled=move || submit.pending().get()>
                    {t!(i18n, technical.submit)}
                </button>
            </Show>
        </form>
        {move || primary_of.get().map(|structure_id| view! { <ApiClients structure_id /> })}
        <p><A href="/raccordements">{t!(i18n, technical.connections_title)}</A></p>
    }
}
