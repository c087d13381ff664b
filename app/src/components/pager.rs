//! *Page précédente* / *Page suivante* under a list paginated on the server.
//! The arithmetic (how many pages, where the buttons lead) is the domain's
//! [`PagePosition`]; this is only its view.

use crate::domain::paging::PagePosition;
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
