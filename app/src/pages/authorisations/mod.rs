//! *Mes habilitations* (rule H4): the caller's profiles on each of their
//! structures, a table per structure (*Domaine*, *Application*, *Niveau*).
//! The labels are the catalogue's (data, rule H1), in the page's language.
//! Each structure links to *Gérer mes habilitations* ([`member`]).

pub mod member;
pub mod requests;

use crate::api::authorisations::{AuthorisationRow, Label, my_authorisations};
use crate::components::list_page::{Lines, ListPage};
use crate::components::page_title::PageTitle;
use crate::domain::authorisations::Level;
use crate::i18n::*;
use crate::pages::attachments::mine::role_text;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

/// A catalogue label in the page's language.
pub fn label_text(i18n: I18nContext<Locale>, label: &Label) -> String {
    match i18n.get_locale() {
        Locale::fr => label.fr.clone(),
        Locale::en => label.en.clone(),
    }
}

pub fn level_text(i18n: I18nContext<Locale>, level: Level) -> &'static str {
    match level {
        Level::Consultation => t_string!(i18n, authz.level_consultation),
        Level::Modification => t_string!(i18n, authz.level_modification),
    }
}

#[component]
pub fn MyAuthorisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(0u64);
    let list = Resource::new(move || page.get(), my_authorisations);
    view! {
        <PageTitle text=move || t_string!(i18n, authz.title) />
        <h1>{t!(i18n, authz.nav)}</h1>
        <p>{t!(i18n, authz.intro)}</p>
        <ListPage
            list
            page
            empty=move || view! { <p>{t!(i18n, authz.none)}</p> }
            lines=Lines::Panels
            line=move |row| view! { <StructureProfiles row /> }
        />
    }
}

/// One structure: the standing, the services, and the profiles' table.
#[component]
fn StructureProfiles(row: AuthorisationRow) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("habilitations-{}", row.structure_id);
    let labelled_by = heading_id.clone();
    let name = row.name.clone();
    let caption = move || t_string!(i18n, authz.caption, name = name.clone()).to_string();
    let services = if row.services.is_empty() {
        view! { <p>{t!(i18n, attach.whole_structure)}</p> }.into_any()
    } else {
        view! {
            <p>{t!(i18n, attach.col_services)} " : " {row.services.join(", ")}</p>
        }
        .into_any()
    };
    let standing = row.standing;
    let manage_label = {
        let name = row.name.clone();
        move || t_string!(i18n, authz.manage_named, name = name.clone()).to_string()
    };
    view! {
        <li class="panel" aria-labelledby=labelled_by>
            <h2 id=heading_id>{row.name.clone()} " (" {row.identifier.clone()} ")"</h2>
            <p>{t!(i18n, attach.col_role)} " : " {move || role_text(i18n, standing)}</p>
            {services}
            <p>
                <A
                    href=format!("/structures/{}/utilisateurs/{}", row.structure_id, row.user_id)
                    attr:aria-label=manage_label
                >
                    {t!(i18n, authz.manage)}
                </A>
            </p>
            <table class="data-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, authz.col_domain)}</th>
                        <th scope="col">{t!(i18n, authz.col_application)}</th>
                        <th scope="col">{t!(i18n, authz.col_level)}</th>
                    </tr>
                </thead>
                <tbody>
                    {row.profiles.into_iter().map(|profile| {
                        let domain = profile.domain.clone();
                        let application = profile.application.clone();
                        let level = profile.level;
                        view! {
                            <tr>
                                <td>{move || label_text(i18n, &domain)}</td>
                                <th scope="row">{move || label_text(i18n, &application)}</th>
                                <td>{move || level_text(i18n, level)}</td>
                            </tr>
                        }
                        .into_any()
                    }).collect_view()}
                </tbody>
            </table>
        </li>
    }
    .into_any()
}
