//! `/support/comptes`: Support finds an account by its login address, sees
//! its state, deactivates or reactivates it with a reason told to its
//! owner (rule U2), and opens its history in the audit log.

use super::reason::ReasonForm;
use crate::api::support::{AccountOnFile, set_account_active, support_account};
use crate::components::form::FormMessage;
use crate::components::messages::{date_text, date_time_text, error_text};
use crate::components::page_title::PageTitle;
use crate::domain::audit::{AuditFilters, MAX_FILTER_CHARS};
use crate::domain::support::AccountState;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

#[component]
pub fn SupportAccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let searched = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<(bool, String)>);
    let found = Resource::new(
        move || searched.get(),
        |address| async move {
            match address {
                Some(address) => Some(support_account(address).await),
                None => None,
            }
        },
    );
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        searched.set(Some(typed.get_untracked()));
        found.refetch();
    };
    let reload = Callback::new(move |()| found.refetch());
    view! {
        <PageTitle text=move || t_string!(i18n, support_accounts.title) />
        <h1>{t!(i18n, support_accounts.heading)}</h1>
        <form class="filters" role="search" on:submit=search>
            <div class="field">
                <label for="compte-adresse">{t!(i18n, support_accounts.address)}</label>
                <input
                    id="compte-adresse"
                    type="email"
                    maxlength=MAX_FILTER_CHARS
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button">{t!(i18n, support_accounts.search)}</button>
        </form>
        <FormMessage message=message />
        <Transition>
            {move || found.get().flatten().map(|result| match result {
                Ok(account) => view! { <AccountCard account message reload /> }.into_any(),
                Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn state_text(i18n: I18nContext<Locale>, state: AccountState) -> &'static str {
    match state {
        AccountState::Pending => t_string!(i18n, support_accounts.state_pending),
        AccountState::Active => t_string!(i18n, support_accounts.state_active),
        AccountState::DeactivatedByOwner => t_string!(i18n, support_accounts.state_by_owner),
        AccountState::DeactivatedBySupport => t_string!(i18n, support_accounts.state_by_support),
    }
}

/// The account found, its state, the act Support may do on it.
#[component]
fn AccountCard(
    account: AccountOnFile,
    message: RwSignal<Option<(bool, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.id;
    // A suspended account can only be reactivated; any other suspended.
    let reactivating = account.state == AccountState::DeactivatedBySupport;
    let action =
        Action::new(move |reason: &String| set_account_active(id, reactivating, reason.clone()));
    let done = Callback::new(move |()| {
        let text = if reactivating {
            t_string!(i18n, support_accounts.reactivated)
        } else {
            t_string!(i18n, support_accounts.deactivated)
        };
        message.set(Some((false, text.to_owned())));
        reload.run(());
    });
    let history = format!(
        "/support/journal?{}",
        AuditFilters {
            user: account.login_email.clone(),
            ..AuditFilters::default()
        }
        .query_string()
    );
    let (created, last_login, state) = (account.created_at, account.last_login_at, account.state);
    view! {
        <section class="panel" aria-labelledby="compte-titre">
            <h2 id="compte-titre">{account.name.clone()}</h2>
            <dl class="details">
                <dt>{t!(i18n, support_accounts.login_email)}</dt>
                <dd>{account.login_email.clone()}</dd>
                <dt>{t!(i18n, support_accounts.contact_email)}</dt>
                <dd>{account.contact_email.clone()}</dd>
                <dt>{t!(i18n, support_accounts.state)}</dt>
                <dd>{move || state_text(i18n, state)}</dd>
                <dt>{t!(i18n, support_accounts.created)}</dt>
                <dd>{move || date_text(i18n, created)}</dd>
                <dt>{t!(i18n, support_accounts.last_login)}</dt>
                <dd>
                    {move || match last_login {
                        Some(at) => date_time_text(i18n, at),
                        None => t_string!(i18n, support_accounts.never).to_owned(),
                    }}
                </dd>
            </dl>
            <p><A href=history>{t!(i18n, support_accounts.history)}</A></p>
            <h3>
                {move || if reactivating {
                    t_string!(i18n, support_accounts.reactivate)
                } else {
                    t_string!(i18n, support_accounts.deactivate)
                }}
            </h3>
            <ReasonForm
                id="motif-compte"
                submit=Signal::derive(move || if reactivating {
                    t_string!(i18n, support_accounts.reactivate).to_owned()
                } else {
                    t_string!(i18n, support_accounts.deactivate).to_owned()
                })
                action
                message
                done
            />
        </section>
    }
}
