//! *Page précédente* / *Page suivante* under a list paginated on the server,
//! and the *lignes par page* choice above it.
//! The arithmetic (how many pages, where the buttons lead) is the domain's
//! [`PagePosition`]; this is only its view.

use crate::domain::paging::{PAGE_SIZES, PagePosition};
use crate::i18n::*;
use leptos::prelude::*;

/// Moves `page` (from 0) within the list; renders nothing for a single page.
/// `text` replaces the default *Page x sur y* (e.g. to add the line count).
#[component]
pub fn Pager(
    page: RwSignal<u64>,
    position: PagePosition,
    #[prop(default = None)] text: Option<Callback<PagePosition, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match text {
        Some(text) => text.run(position),
        None => t_string!(
            i18n,
            attach.page_of,
            page = position.number(),
            pages = position.pages
        )
        .to_string(),
    };
    position.has_several().then(|| {
        view! {
            <nav class="pagination" aria-label=move || t_string!(i18n, structures.pagination)>
                <button
                    type="button"
                    class="button-secondary"
                    disabled=position.is_first()
                    on:click=move |_| page.set(position.previous())
                >
                    {t!(i18n, structures.previous)}
                </button>
                <span>{text}</span>
                <button
                    type="button"
                    class="button-secondary"
                    disabled=position.is_last()
                    on:click=move |_| page.set(position.next())
                >
                    {t!(i18n, structures.next)}
                </button>
            </nav>
        }
    })
}

/// *5 lignes par page*: how many lines a page shows (back to the first
/// page when it changes).
#[component]
pub fn PageSize(per_page: RwSignal<u64>, page: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let options = PAGE_SIZES
        .iter()
        .map(|size| {
            let size = *size;
            view! {
                <option value=size.to_string() selected=move || per_page.get() == size>
                    {size}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field field-inline">
            <label for="lignes-par-page">{t!(i18n, structures.per_page)}</label>
            <select
                id="lignes-par-page"
                on:change=move |ev| {
                    let size = event_target_value(&ev).parse().unwrap_or(PAGE_SIZES[0]);
                    per_page.set(size);
                    page.set(0);
                }
            >
                {options}
            </select>
        </div>
    }
}
