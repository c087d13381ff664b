//! *Changer mon adresse de connexion* (rule P6, seed 001 §2.6) and the pages
//! of the e-mailed links of both address changes (login and contact). The request page shows the current address and
//! the waiting change, if any (one at a time: its form is then hidden); its
//! form is checked as typed by the shared `domain::address_change` code. A
//! request needs a recent login: when the server asks for one, the page
//! shows the factors page's re-authentication. The link's page asks for a
//! click (mail scanners open links; a `GET` changes nothing).

use crate::api::address::{
    ConfirmedAddress, PendingChange, address_overview, confirm_address_change,
    request_address_change,
};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{LoginNeeded, date_time_text, error_text, field_problem_text};
use crate::components::page_title::PageTitle;
use crate::domain::account::{LinkFailure, SignupField};
use crate::domain::address_change::{AddressKind, CONFIRMATION, NEW_ADDRESS, check_address_field};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::factors::ReauthForm;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use std::collections::HashSet;

/// `/changer-mon-adresse-de-connexion`
#[component]
pub fn ChangeAddressPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| address_overview());
    // The request just made: its notice replaces the form.
    let sent = RwSignal::new(None::<PendingChange>);
    let reauth = RwSignal::new(false);
    view! {
        <PageTitle text=move || t_string!(i18n, address.page_title) />
        <h1>{t!(i18n, address.heading)}</h1>
        <Transition>
            {move || {
                overview
                    .get()
                    .map(|found| match found {
                        Err(AppError::NotLoggedIn) => {
                            view! { <LoginNeeded text=move || t_string!(i18n, address.login_needed).to_owned() /> }
                                .into_any()
                        }
                        Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
                        Ok(overview) => {
                            let waiting = overview.pending.clone();
                            view! {
                                <p>{t!(i18n, address.intro)}</p>
                                <dl class="facts">
                                    <dt>{t!(i18n, address.current)}</dt>
                                    <dd>{overview.current.clone()}</dd>
                                </dl>
                                <ReauthForm show=reauth then="/changer-mon-adresse-de-connexion" />
                                {move || match (sent.get(), waiting.clone()) {
                                    (Some(change), _) => {
                                        let until = date_time_text(i18n, change.expires_at);
                                        let address = change.new_address;
                                        view! {
                                            <p class="notice notice-success" role="status">
                                                {t_string!(i18n, address.sent, address, until).to_string()}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    (None, Some(change)) => {
                                        let until = date_time_text(i18n, change.expires_at);
                                        let address = change.new_address;
                                        view! {
                                            <p class="notice">
                                                {t_string!(i18n, address.pending, address, until).to_string()}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    (None, None) => view! { <AddressForm sent reauth /> }.into_any(),
                                }}
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The new address and its confirmation, *Soumettre*.
#[component]
fn AddressForm(sent: RwSignal<Option<PendingChange>>, reauth: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let new_address = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let touched = RwSignal::new(HashSet::<SignupField>::new());
    let submitted = RwSignal::new(false);
    let submit = Action::new(move |(address, again): &(String, String)| {
        request_address_change(address.clone(), again.clone())
    });
    let result = submit.value();
    Effect::new(move |_| match result.get() {
        Some(Ok(change)) => sent.set(Some(change)),
        Some(Err(AppError::RecentLoginRequired)) => reauth.set(true),
        _ => {}
    });
    let error = move |field: SignupField| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            let server = match result.get() {
                Some(Err(AppError::Fields(problems))) => {
                    problems.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
                }
                _ => None,
            };
            let local = check_address_field(&new_address.get(), &confirmation.get(), field).err();
            shown
                .then_some(local.or(server))
                .flatten()
                .map(|p| field_problem_text(i18n, p))
        })
    };
    let touch = move |field: SignupField| {
        Callback::new(move |()| {
            touched.update(|t| {
                t.insert(field);
            })
        })
    };
    let locally_valid = move || {
        [NEW_ADDRESS, CONFIRMATION].into_iter().all(|field| {
            check_address_field(&new_address.get(), &confirmation.get(), field).is_ok()
        })
    };
    let message = Signal::derive(move || {
        if submitted.get() && !locally_valid() {
            return Some((true, t_string!(i18n, form_error).to_owned()));
        }
        match result.get() {
            Some(Err(AppError::Fields(_))) => Some((true, t_string!(i18n, form_error).to_owned())),
            Some(Err(error)) => Some((true, error_text(i18n, &error))),
            _ => None,
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if locally_valid() {
            submit.dispatch((new_address.get_untracked(), confirmation.get_untracked()));
        }
    };
    view! {
        <form method="post" class="form" novalidate on:submit=on_submit>
            <p class="hint">{t!(i18n, required_hint)}</p>
            <FormMessage message />
            <TextField
                id="nouvelle-adresse"
                label=Signal::derive(move || t_string!(i18n, address.new_address).to_owned())
                value=new_address
                error=error(NEW_ADDRESS)
                input_type="email"
                autocomplete="email"
                required=true
                on_blur=touch(NEW_ADDRESS)
            />
            <TextField
                id="confirmation-nouvelle-adresse"
                label=Signal::derive(move || t_string!(i18n, address.confirmation).to_owned())
                value=confirmation
                error=error(CONFIRMATION)
                input_type="email"
                autocomplete="off"
                required=true
                on_blur=touch(CONFIRMATION)
            />
            <button type="submit" class="button" disabled=move || submit.pending().get()>
                {t!(i18n, address.submit)}
            </button>
        </form>
    }
}

/// `/confirmer-adresse-de-connexion?jeton=…`
#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    view! { <ConfirmLink kind=AddressKind::Login /> }
}

/// `/confirmer-adresse-de-contact?jeton=…`
#[component]
pub fn ConfirmContactPage() -> impl IntoView {
    view! { <ConfirmLink kind=AddressKind::Contact /> }
}

/// The page of an address change's link: *Confirmer le changement*.
#[component]
fn ConfirmLink(kind: AddressKind) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let confirm = Action::new(move |token: &String| confirm_address_change(token.clone()));
    let result = confirm.value();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = query.with_untracked(|q| q.get("jeton").unwrap_or_default());
        confirm.dispatch(token);
    };
    let title = move || match kind {
        AddressKind::Login => t_string!(i18n, address.confirm_title),
        AddressKind::Contact => t_string!(i18n, address.contact_confirm_title),
    };
    view! {
        <PageTitle text=title />
        <h1>{title}</h1>
        {move || match result.get() {
            Some(Ok(ConfirmedAddress { kind, address })) => {
                let done = match kind {
                    AddressKind::Login => t_string!(i18n, address.confirmed, address).to_string(),
                    AddressKind::Contact => {
                        t_string!(i18n, address.contact_confirmed, address).to_string()
                    }
                };
                let (next, label) = match kind {
                    AddressKind::Login => ("/connexion", t_string!(i18n, sign_in)),
                    AddressKind::Contact => ("/mon-compte", t_string!(i18n, account.nav)),
                };
                view! {
                    <div class="notice notice-success" role="status">
                        <p>{done}</p>
                        <p>
                            <A href=next>{label}</A>
                        </p>
                    </div>
                }
                    .into_any()
            }
            Some(Err(AppError::Link(failure))) => {
                let text = match failure {
                    LinkFailure::Expired => t_string!(i18n, address.link_expired),
                    LinkFailure::AlreadyUsed => t_string!(i18n, address.link_used),
                    LinkFailure::Unknown => t_string!(i18n, address.link_unknown),
                };
                view! { <p class="notice notice-error" role="alert">{text}</p> }.into_any()
            }
            other => {
                let message = Signal::derive(move || match &other {
                    Some(Err(error)) => Some((true, error_text(i18n, error))),
                    _ => None,
                });
                let intro = match kind {
                    AddressKind::Login => t_string!(i18n, address.confirm_intro),
                    AddressKind::Contact => t_string!(i18n, address.contact_confirm_intro),
                };
                view! {
                    <form method="post" class="form" novalidate on:submit=on_submit>
                        <FormMessage message />
                        <p>{intro}</p>
                        <button type="submit" class="button" disabled=move || confirm.pending().get()>
                            {t!(i18n, address.confirm_submit)}
                        </button>
                    </form>
                }
                    .into_any()
            }
        }}
    }
}
