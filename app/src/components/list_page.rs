//! The skeleton every list page shares, written once: while a page of the
//! list loads, the previous one stays on screen (a `Transition`); then an
//! alert for an error, the page's own message for an empty list, or the
//! lines followed by the [`Pager`].
//!
//! A page gives the resource (which fetches again when its `page` signal
//! moves), what an empty list says, how the lines are laid out (a data
//! table with its columns, or a list of panels) and how one line renders.
//! The server paginates; the arithmetic is the domain's [`PagePosition`].

use crate::api::attachments::Page;
use crate::components::messages::error_text;
use crate::components::pager::Pager;
use crate::domain::paging::PagePosition;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// How the lines of a list are laid out.
#[derive(Clone, Copy)]
pub enum Lines {
    /// A data table named by a visually hidden caption, with its column
    /// headers; each line renders a `<tr>`.
    Table {
        caption: Signal<&'static str>,
        columns: Signal<Vec<&'static str>>,
    },
    /// A list of panels (`<ul class="attachment-list">`); each line renders
    /// an `<li>`.
    Panels,
}

impl Lines {
    /// A data table; both texts are read again when the language changes.
    pub fn table(
        caption: impl Fn() -> &'static str + Send + Sync + 'static,
        columns: impl Fn() -> Vec<&'static str> + Send + Sync + 'static,
    ) -> Lines {
        Lines::Table {
            caption: Signal::derive(caption),
            columns: Signal::derive(columns),
        }
    }

    pub fn render(self, lines: AnyView) -> AnyView {
        match self {
            Lines::Table { caption, columns } => view! {
                <table class="data-table">
                    <caption class="visually-hidden">{move || caption.get()}</caption>
                    <thead>
                        <tr>
                            {move || {
                                columns
                                    .get()
                                    .into_iter()
                                    .map(|column| view! { <th scope="col">{column}</th> })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>{lines}</tbody>
                </table>
            }
            .into_any(),
            Lines::Panels => view! { <ul class="attachment-list">{lines}</ul> }.into_any(),
        }
    }
}

/// A page of a list: loading, error, empty, or the lines and the pager.
#[component]
pub fn ListPage<Row, Line, V>(
    /// The current page of the list, fetched again when `page` changes.
    list: Resource<Result<Page<Row>, AppError>>,
    /// The page asked for (from 0), moved by the pager.
    page: RwSignal<u64>,
    /// What the page shows when the list has no line.
    #[prop(into)]
    empty: ViewFn,
    lines: Lines,
    /// One line (a `<tr>` in a table, an `<li>` among panels).
    line: Line,
    /// Shown above the lines when there are some (e.g. the list's actions).
    #[prop(optional, into)]
    above: Option<ViewFn>,
    /// Shown instead of the error when the visitor is not logged in.
    #[prop(optional, into)]
    signed_out: Option<ViewFn>,
    /// Replaces the pager's *Page x sur y*.
    #[prop(optional, into)]
    page_text: Option<Callback<PagePosition, String>>,
) -> impl IntoView
where
    Row: Clone + Send + Sync + 'static,
    Line: Fn(Row) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let content = move || {
        list.get().map(|result| match result {
            Err(AppError::NotLoggedIn) if signed_out.is_some() => {
                signed_out.as_ref().map(ViewFn::run).into_any()
            }
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(found) if found.total == 0 => empty.run(),
            Ok(found) => {
                let position = PagePosition::of(found.page, found.per_page, found.total);
                let rows = found.rows.into_iter().map(&line).collect_view().into_any();
                view! {
                    {above.as_ref().map(ViewFn::run)}
                    {lines.render(rows)}
                    <Pager page position text=page_text />
                }
                .into_any()
            }
        })
    };
    view! { <Transition>{content}</Transition> }
}
