//! The home page: what the portal is for, and the platform's domains.

use crate::components::page_title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, home.page_title) />
        <h1>{t!(i18n, home.heading)}</h1>
        <p class="lead">{t!(i18n, home.intro)}</p>
        <section aria-labelledby="domaines">
            <h2 id="domaines">{t!(i18n, home.domains_heading)}</h2>
            <ul class="domain-grid">
                <li class="domain-card">
                    <h3>{t!(i18n, home.domains.market)}</h3>
                    <p>{t!(i18n, home.domains.market_desc)}</p>
                </li>
                <li class="domain-card">
                    <h3>{t!(i18n, home.domains.order)}</h3>
                    <p>{t!(i18n, home.domains.order_desc)}</p>
                </li>
                <li class="domain-card">
                    <h3>{t!(i18n, home.domains.invoicing)}</h3>
                    <p>{t!(i18n, home.domains.invoicing_desc)}</p>
                </li>
                <li class="domain-card">
                    <h3>{t!(i18n, home.domains.organisation)}</h3>
                    <p>{t!(i18n, home.domains.organisation_desc)}</p>
                </li>
                <li class="domain-card">
                    <h3>{t!(i18n, home.domains.connections)}</h3>
                    <p>{t!(i18n, home.domains.connections_desc)}</p>
                    <a href="/raccordements" aria-label=move || t_string!(i18n, home.domains.connections_access)>
                        {t!(i18n, home.domains.access)}
                    </a>
                </li>
                <li class="domain-card">
                    <h3>{t!(i18n, home.domains.tools)}</h3>
                    <p>{t!(i18n, home.domains.tools_desc)}</p>
                </li>
            </ul>
        </section>
    }
}
