//! *Mes structures* (rule M1) and *Créer une nouvelle structure* (S1–S3).
//! The list is paginated on the server (5 lines per page) and exported as
//! CSV by the server route `/mes-structures.csv`.

mod add_user;
pub mod create;
pub mod members;
pub mod services;
pub mod transfer_all;

use crate::api::attachments::Page;
use crate::api::structures::{StructureRow, StructuresPage, my_structures};
use crate::components::list_page::{Lines, ListPage};
use crate::components::messages::date_text;
use crate::components::page_title::PageTitle;
use crate::components::pager::PageSize;
use crate::domain::paging::{PAGE_SIZES, PagePosition};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MyStructuresPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let per_page = RwSignal::new(PAGE_SIZES[0]);
    let list = Resource::new(
        move || (page.get(), per_page.get()),
        |(page, per_page)| async move { my_structures(page, per_page).await.map(as_page) },
    );
    let page_text = Callback::new(move |at: PagePosition| {
        t_string!(
            i18n,
            structures.page_of,
            page = at.number(),
            pages = at.pages,
            total = at.total
        )
        .to_string()
    });
    view! {
        <PageTitle text=move || t_string!(i18n, structures.page_title) />
        <h1>{t!(i18n, structures.heading)}</h1>
        <ListPage
            list
            page
            empty=move || view! { <FirstStructure /> }
            lines=Lines::table(
                move || t_string!(i18n, structures.heading),
                move || {
                    vec![
                        t_string!(i18n, structures.col_identifier),
                        t_string!(i18n, structures.col_name),
                        t_string!(i18n, structures.col_created),
                        t_string!(i18n, structures.col_services),
                        t_string!(i18n, structures.col_status),
                        t_string!(i18n, structures.col_actions),
                    ]
                },
            )
            line=move |row| view! { <StructureLine row /> }
            above=move || {
                view! {
                    <div class="actions">
                        <A href="/structures/creer">{t!(i18n, structures.create)}</A>
                        <A href="/rattachements/demander">{t!(i18n, structures.onboarding_request)}</A>
                        <a href="/mes-structures.csv" download="mes-structures.csv">{t!(i18n, structures.export)}</a>
                        <A href="/mes-structures/transferer">{t!(i18n, members.transfer_all_title)}</A>
                    </div>
                    <PageSize per_page page />
                }
            }
            signed_out=move || view! { <p><A href="/connexion">{t!(i18n, sign_in)}</A></p> }
            page_text
        />
    }
}

/// *Mes structures* pages like every other list.
fn as_page(found: StructuresPage) -> Page<StructureRow> {
    Page {
        rows: found.rows,
        total: found.total,
        page: found.page,
        per_page: found.per_page,
    }
}

/// The first visit (rule S2): no structure yet, both ways in, and the warning.
#[component]
fn FirstStructure() -> impl IntoView {
    let i18n = use_i18n();
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
}

#[component]
fn StructureLine(row: StructureRow) -> impl IntoView {
    let i18n = use_i18n();
    let name = row.name.clone();
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
                {row.manages.then(|| {
                    let name = name.clone();
                    view! {
                        <A
                            href=format!("/structures/{}", row.id)
                            attr:aria-label=move || t_string!(i18n, members.link, name = name.clone()).to_string()
                        >
                            {t!(i18n, members.link_short)}
                        </A>
                        " "
                    }
                })}
                <A
                    href=format!("/structures/{}/services", row.id)
                    attr:aria-label=move || t_string!(i18n, services.link, name = name.clone()).to_string()
                >
                    {t!(i18n, services.link_short)}
                </A>
            </td>
        </tr>
    }
}
