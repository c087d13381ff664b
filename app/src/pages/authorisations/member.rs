//! A member's profiles on one structure (rules H4, H5): *Gérer mes
//! habilitations* when it is the caller's own, a manager's edit otherwise.
//! One level per application (none, *consultation*, *modification*), the
//! list narrowed by *Profil recherché*, *Tout supprimer*, then *Soumettre*:
//! the server applies all or nothing and says why when it refuses (the
//! primary manager keeps *Organisation modification*); a member raising
//! their own profile sends a request to the managers.

use super::label_text;
use crate::api::authorisations::{MemberProfilesPage, member_profiles, set_profiles};
use crate::components::form::FormMessage;
use crate::components::messages::error_text;
use crate::components::page_title::PageTitle;
use crate::domain::attachments::Standing;
use crate::domain::authorisations::{AskedLevel, Level, ORGANISATION};
use crate::i18n::*;
use crate::pages::attachments::mine::role_text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn level_code(level: Option<Level>) -> &'static str {
    match level {
        None => "",
        Some(Level::Consultation) => "consultation",
        Some(Level::Modification) => "modification",
    }
}

fn parse_level(code: &str) -> Option<Level> {
    match code {
        "consultation" => Some(Level::Consultation),
        "modification" => Some(Level::Modification),
        _ => None,
    }
}

#[component]
pub fn MemberProfilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = move || {
        let read = params.read();
        let id = |key: &str| {
            read.get(key)
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or(0)
        };
        (id("id"), id("user_id"))
    };
    let data = Resource::new(ids, |(structure, user)| member_profiles(structure, user));
    let content = move || {
        data.get().map(|result| match result {
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(found) => {
                let (structure_id, user_id) = ids();
                view! { <ProfilesForm found structure_id user_id /> }.into_any()
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, authz.member_title) />
        <Transition>{content}</Transition>
    }
}

#[component]
fn ProfilesForm(found: MemberProfilesPage, structure_id: i32, user_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let levels = RwSignal::new(
        found
            .rows
            .iter()
            .map(|row| (row.code.clone(), row.level))
            .collect::<Vec<_>>(),
    );
    let search = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let primary = found.standing == Standing::PrimaryManager;
    let save = Action::new(move |asked: &Vec<AskedLevel>| {
        set_profiles(structure_id, user_id, asked.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            message.set(Some(match result {
                Ok(saved) if saved.requested > 0 => (
                    false,
                    t_string!(
                        i18n,
                        authz.saved_requested,
                        count = saved.applied,
                        requested = saved.requested
                    )
                    .to_string(),
                ),
                Ok(saved) => (
                    false,
                    t_string!(i18n, authz.saved, count = saved.applied).to_string(),
                ),
                Err(error) => (true, error_text(i18n, &error)),
            }));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let asked = levels
            .get_untracked()
            .into_iter()
            .map(|(application, level)| AskedLevel { application, level })
            .collect();
        save.dispatch(asked);
    };
    let clear_all = move |_| {
        levels.update(|all| {
            for (code, level) in all.iter_mut() {
                // The primary manager keeps Organisation modification (M3).
                if !(primary && code == ORGANISATION) {
                    *level = None;
                }
            }
        });
    };
    let name = format!("{} {}", found.first_name, found.last_name);
    let heading = {
        let name = name.clone();
        move || t_string!(i18n, authz.member_heading, name = name.clone()).to_string()
    };
    let standing = found.standing;
    let rows = found
        .rows
        .into_iter()
        .map(|row| {
            let code = row.code.clone();
            let select_id = format!("niveau-{}", row.code);
            let domain = row.domain.clone();
            let application = row.application.clone();
            let shown = {
                let domain = domain.clone();
                let application = application.clone();
                move || {
                    let wanted = search.get().to_lowercase();
                    wanted.is_empty()
                        || label_text(i18n, &application).to_lowercase().contains(&wanted)
                        || label_text(i18n, &domain).to_lowercase().contains(&wanted)
                }
            };
            let current = {
                let code = code.clone();
                move || {
                    levels.with(|all| {
                        level_code(all.iter().find(|(c, _)| *c == code).and_then(|(_, l)| *l))
                    })
                }
            };
            let label_for = select_id.clone();
            let app_label = application.clone();
            view! {
                <tr hidden=move || !shown()>
                    <td>{move || label_text(i18n, &domain)}</td>
                    <th scope="row">
                        <label for=label_for>{move || label_text(i18n, &app_label)}</label>
                    </th>
                    <td>
                        <select
                            id=select_id
                            prop:value=current
                            on:change=move |ev| {
                                let picked = parse_level(&event_target_value(&ev));
                                levels.update(|all| {
                                    if let Some(line) = all.iter_mut().find(|(c, _)| *c == code) {
                                        line.1 = picked;
                                    }
                                });
                            }
                        >
                            <option value="">{t!(i18n, authz.level_none)}</option>
                            <option value="consultation">{t!(i18n, authz.level_consultation)}</option>
                            <option value="modification">{t!(i18n, authz.level_modification)}</option>
                        </select>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <h1>{heading.clone()}</h1>
        <p>{t!(i18n, attach.col_structure)} " : " {found.structure_name.clone()}</p>
        <p>{t!(i18n, attach.col_role)} " : " {move || role_text(i18n, standing)}</p>
        <FormMessage message=message />
        <form on:submit=submit novalidate>
            <div class="field">
                <label for="profil-recherche">{t!(i18n, authz.search)}</label>
                <input
                    id="profil-recherche"
                    type="search"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <table class="data-table">
                <caption class="visually-hidden">{heading}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, authz.col_domain)}</th>
                        <th scope="col">{t!(i18n, authz.col_application)}</th>
                        <th scope="col">{t!(i18n, authz.col_level)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="actions">
                <button type="button" class="button-secondary" on:click=clear_all>
                    {t!(i18n, authz.clear_all)}
                </button>
                <button type="submit" class="button">{t!(i18n, authz.submit)}</button>
            </div>
        </form>
    }
}
