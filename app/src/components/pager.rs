//! *Page précédente* / *Page suivante* under a list paginated on the server.

use crate::i18n::*;
use leptos::prelude::*;

/// Moves `page` (from 0) within `pages`; renders nothing for a single page.
#[component]
pub fn Pager(page: RwSignal<u64>, current: u64, pages: u64) -> impl IntoView {
    let i18n = use_i18n();
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=move || t_string!(i18n, structures.pagination)>
                <button
                    type="button"
                    class="button-secondary"
                    disabled=current == 0
                    on:click=move |_| page.set(current.saturating_sub(1))
                >
                    {t!(i18n, structures.previous)}
                </button>
                <span>{move || t_string!(i18n, attach.page_of, page = current + 1, pages).to_string()}</span>
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
    })
}
