//! *Mes structures* (rule M1) and *Créer une nouvelle structure* (S1–S3).
//! The list is paginated on the server (5 lines per page) and exported as
//! CSV by the server route `/mes-structures.csv`.

pub mod create;
pub mod services;

use crate::api::structures::{StructureRow, my_structures};
use crate::components::messages::{date_text, error_text};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MyStructuresPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let list = Resource::new(move || page.get(), my_structures);
    view! {
        <Title text=move || t_string!(i18n, structures.page_title) />
        <h1>{t!(i18n, structures.heading)}</h1>
        <Transition>
            {move || match list.get() {
                None => None,
                Some(Err(AppError::NotLoggedIn)) => Some(
                    view! { <p><A href="/connexion">{t!(i18n, sign_in)}</A></p> }.into_any(),
                ),
                Some(Err(error)) => Some(view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any()),
                Some(Ok(found)) if found.total == 0 => Some(
                    view! {
                        <section class="panel panel-attention" aria-labelledby="premiere-structure">
                            <h2 id="premiere-structure">{t!(i18n, structures.onboarding_heading)}</h2>
                            <p>{t!(i18n, structures.none)}</p>
                            <p>{t!(i18n, structures.onboarding_intro)}</p>
                            <p class="notice" role="note">{t!(i18n, structures.warning)}</p>
                            <div class="actions">
                                <A href="/structures/creer" attr:class="button-link">{t!(i18n, structures.create)}</A>
                                <A href="/rattachements/demander" attr:class="button-link">
                                    {t!(i18n, structures.onboarding_request)}
                                </A>
                            </div>
                        </section>
                    }
                        .into_any(),
                ),
                Some(Ok(found)) => {
                    let pages = found.total.div_ceil(found.per_page).max(1);
                    let current = found.page;
                    Some(
                        view! {
                            <div class="actions">
                                <A href="/structures/creer">{t!(i18n, structures.create)}</A>
                                <A href="/rattachements/demander">{t!(i18n, structures.onboarding_request)}</A>
                                <a href="/mes-structures.csv" download="mes-structures.csv">{t!(i18n, structures.export)}</a>
                            </div>
                            <StructuresTable rows=found.rows />
                            <nav class="pagination" aria-label=move || t_string!(i18n, structures.pagination)>
                                <button
                                    type="button"
                                    class="button-secondary"
                                    disabled=current == 0
                                    on:click=move |_| page.set(current.saturating_sub(1))
                                >
                                    {t!(i18n, structures.previous)}
                                </button>
                                <span>
                                    {move || t_string!(i18n, structures.page_of, page = current + 1, pages, total = found.total).to_string()}
                                </span>
                                <button
                                    type="button"
                                    class="button-secondary"
                                    disabled=current + 1 >= pages
                                    on:click=move |_| page.set(current + 1)
                                >
                                    {t!(i18n, structures.next)}
                                </button>
                            </nav>
                        }
                            .into_any(),
                    )
                }
            }}
        </Transition>
    }
}

#[component]
fn StructuresTable(rows: Vec<StructureRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data-table">
            <caption class="visually-hidden">{t!(i18n, structures.heading)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, structures.col_identifier)}</th>
                    <th scope="col">{t!(i18n, structures.col_name)}</th>
                    <th scope="col">{t!(i18n, structures.col_created)}</th>
                    <th scope="col">{t!(i18n, structures.col_services)}</th>
                    <th scope="col">{t!(i18n, structures.col_status)}</th>
                    <th scope="col">{t!(i18n, structures.col_actions)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <tr>
                                <td>{row.identifier.clone()}</td>
                                <td>{row.name.clone()}</td>
                                <td>{move || date_text(i18n, row.created_at)}</td>
                                <td>{row.services}</td>
                                <td>
                                    {move || if row.awaiting_support {
                                        t_string!(i18n, structures.status_awaiting)
                                    } else {
                                        t_string!(i18n, structures.status_active)
                                    }}
                                </td>
                                <td>
                                    {move || if row.primary_manager {
                                        t_string!(i18n, structures.primary_manager)
                                    } else {
                                        t_string!(i18n, structures.member)
                                    }}
                                    " "
                                    <A
                                        href=format!("/structures/{}/services", row.id)
                                        attr:aria-label={
                                            let name = row.name.clone();
                                            move || t_string!(i18n, services.link, name = name.clone()).to_string()
                                        }
                                    >
                                        {t!(i18n, services.link_short)}
                                    </A>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
