//! The *Raccordements* domain (seed 004): its applications, and the
//! technical account's screens (rules T1–T3, issue 17).

pub mod account;
pub mod clients;
pub mod issued;
pub mod line;

use crate::components::page_title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/raccordements`: the domain's applications, reached from the home
/// page's *Raccordements* card.
#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, technical.connections_title) />
        <h1>{t!(i18n, technical.connections_title)}</h1>
        <ul class="domain-grid">
            <li class="domain-card">
                <h2>{t!(i18n, technical.title)}</h2>
                <p>{t!(i18n, technical.description)}</p>
                <A
                    href="/raccordements/compte-technique"
                    attr:aria-label=move || t_string!(i18n, technical.access_named)
                >
                    {t!(i18n, technical.access)}
                </A>
            </li>
        </ul>
    }
}
