//! The page for unknown addresses, answered with HTTP 404.

use crate::components::page_title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, not_found.page_title) />
        <h1>{t!(i18n, not_found.heading)}</h1>
        <p>{t!(i18n, not_found.text)}</p>
        <p>
            <A href="/">{t!(i18n, soon.back_home)}</A>
        </p>
    }
}
