//! What both screens of a technical password show (T3): the password, once,
//! with the seeds' advice and *Exporter les informations de connexion*; and
//! *Liste des comptes techniques*.

use crate::api::technical::{IssuedPassword, TechnicalOverview};
use crate::components::messages::{date_text, date_time_text};
use crate::components::text_file::text_file_href;
use crate::domain::technical::TechnicalStatus;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// *ACTIF* / *INACTIF*.
pub fn status_text(i18n: I18nContext<Locale>, status: TechnicalStatus) -> &'static str {
    match status {
        TechnicalStatus::Active => t_string!(i18n, technical.active),
        TechnicalStatus::Inactive => t_string!(i18n, technical.inactive),
    }
}

/// The password just issued. `in_force`: already in force (a creation, a
/// reset from the structure's page, or a submitted proposal); otherwise the
/// seeds' three warnings before *Soumettre*.
#[component]
pub fn IssuedPanel(issued: IssuedPassword, #[prop(into)] in_force: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let file = {
        let issued = issued.clone();
        move || {
            text_file_href(&[
                t_string!(i18n, technical.file_title).to_owned(),
                format!("{} : {}", t_string!(i18n, technical.account), issued.login),
                format!(
                    "{} : {}",
                    t_string!(i18n, technical.password),
                    issued.password.expose()
                ),
                format!(
                    "{} : {}",
                    t_string!(i18n, technical.col_expiry),
                    date_time_text(i18n, issued.expires_at)
                ),
            ])
        }
    };
    view! {
        <div class="issued-password">
            <p>
                {t!(i18n, technical.password)} " : "
                <code id="mot-de-passe-technique">{issued.password.expose().to_owned()}</code>
            </p>
            {move || if in_force.get() {
                view! { <p class="notice" role="note">{t!(i18n, technical.shown_once)}</p> }.into_any()
            } else {
                view! {
                    <ul class="notice" role="note">
                        <li>{t!(i18n, technical.copy_before_submit)}</li>
                        <li>{t!(i18n, technical.not_retrievable)}</li>
                        <li>{t!(i18n, technical.not_applied)}</li>
                    </ul>
                }
                .into_any()
            }}
            <p>
                <a href=file download="compte-technique.txt">{t!(i18n, technical.export)}</a>
            </p>
        </div>
    }
}

/// *Liste des comptes techniques* of one structure (none or one line).
#[component]
pub fn AccountsTable(found: TechnicalOverview) -> impl IntoView {
    let i18n = use_i18n();
    let Some(account) = found.account else {
        return view! { <p>{t!(i18n, technical.none_yet)}</p> }.into_any();
    };
    let status = account.status;
    let expiry = account.password_expires_at;
    let (created, modified) = (account.created_at, account.modified_at);
    view! {
        <table class="data-table">
            <caption>{t!(i18n, technical.list_heading)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, technical.col_login)}</th>
                    <th scope="col">{t!(i18n, technical.col_status)}</th>
                    <th scope="col">{t!(i18n, technical.col_account)}</th>
                    <th scope="col">{t!(i18n, technical.col_expiry)}</th>
                    <th scope="col">{t!(i18n, technical.col_contact)}</th>
                    <th scope="col">{t!(i18n, technical.col_created)}</th>
                    <th scope="col">{t!(i18n, technical.col_modified)}</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">{account.login}</th>
                    <td>{move || status_text(i18n, status)}</td>
                    <td>{found.identifier} " " {found.name}</td>
                    <td>{move || date_text(i18n, expiry)}</td>
                    <td>{account.contact.unwrap_or_default()}</td>
                    <td>{move || date_time_text(i18n, created)}</td>
                    <td>{move || date_time_text(i18n, modified)}</td>
                </tr>
            </tbody>
        </table>
    }
    .into_any()
}
