//! The page's `<title>`, in the reader's language.
//!
//! Every page sets its title through [`PageTitle`], never through
//! `leptos_meta::Title` with a closure. On the server, leptos_meta reads the
//! title's text late: after the first chunk of the page is rendered, from the
//! response future of `leptos_integration_utils`, which is not polled inside the
//! request's reactive arena (leptos's `sandboxed-arenas`). A closure that reads
//! a signal there (the language, from the i18n context) looks it up in the arena
//! of whichever request the worker thread polled last: alone it works by luck,
//! under concurrent rendering it panics with "already been disposed" and the
//! response never ends (issue 16). So the server evaluates the text once, while
//! the page renders inside its own owner, and only the browser keeps it
//! reactive, so that a change of language retitles the page.

use leptos::oco::Oco;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the document's title to `text()`: evaluated at once on the server,
/// followed reactively in the browser.
#[component]
#[allow(clippy::disallowed_methods)] // the one sanctioned use of `Title`
pub fn PageTitle<F, S>(text: F) -> impl IntoView
where
    F: Fn() -> S + Send + Sync + 'static,
    S: Into<Oco<'static, str>> + 'static,
{
    #[cfg(feature = "ssr")]
    let text = TextProp::from(text().into());
    #[cfg(not(feature = "ssr"))]
    let text = TextProp::from(text);
    view! { <Title text /> }
}
