//! A structure's page (rule M2): *Utilisateurs rattachés à la structure*,
//! for its managers. The primary manager is named above a table that the
//! server sorts (the column headers are buttons, `aria-sort` says the
//! order), filters (names and login address, case and accents ignored) and
//! paginates. The primary manager hands the role over from a user's line
//! (rule M3), after a confirmation.

use super::add_user::AddUser;
use crate::api::members::{
    MembersPage, Person, act_on_members, structure_members, transfer_structure,
};
use crate::components::form::FormMessage;
use crate::components::messages::{date_text, error_text};
use crate::components::page_title::PageTitle;
use crate::components::pager::{PageSize, Pager};
use crate::domain::members::{MemberAction, MemberQuery, MemberSort};
use crate::domain::paging::{PAGE_SIZES, PagePosition};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::attachments::mine::role_text;
use crate::pages::technical::line::TechnicalUserLine;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

fn person_text(person: &Person) -> String {
    format!(
        "{} {} ({})",
        person.first_name, person.last_name, person.login_email
    )
}

/// The sortable columns, in the table's order, with their headers.
fn sort_label(i18n: I18nContext<Locale>, sort: MemberSort) -> &'static str {
    match sort {
        MemberSort::LastName => t_string!(i18n, members.col_last_name),
        MemberSort::FirstName => t_string!(i18n, members.col_first_name),
        MemberSort::LoginEmail => t_string!(i18n, members.col_login),
        MemberSort::LastLogin => t_string!(i18n, members.col_last_login),
    }
}

/// Hands the role to a user (id, name for the message).
type TransferAction = Action<(i32, String), (Result<(), AppError>, String)>;
/// Acts on the ticked users; the answer carries the action for the message.
type UsersAction = Action<(MemberAction, Vec<i32>), (MemberAction, Result<usize, AppError>)>;

#[component]
pub fn StructureMembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let structure_id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let page = RwSignal::new(0u64);
    let per_page = RwSignal::new(PAGE_SIZES[0]);
    let listing = RwSignal::new(MemberQuery::default());
    let data = Resource::new(
        move || (structure_id(), page.get(), per_page.get(), listing.get()),
        |(id, page, per_page, listing)| structure_members(id, page, per_page, listing),
    );
    let message = RwSignal::new(None::<(bool, String)>);
    let transfer = Action::new(move |(user_id, name): &(i32, String)| {
        let (user_id, name) = (*user_id, name.clone());
        let id = structure_id();
        async move { (transfer_structure(id, user_id).await, name) }
    });
    Effect::new(move |_| {
        if let Some((result, name)) = transfer.value().get() {
            message.set(Some(match result {
                Ok(()) => (
                    false,
                    t_string!(i18n, members.transferred, name = name).to_string(),
                ),
                Err(error) => (true, error_text(i18n, &error)),
            }));
            data.refetch();
        }
    });
    let act = Action::new(move |(action, users): &(MemberAction, Vec<i32>)| {
        let (action, users) = (*action, users.clone());
        let id = structure_id();
        async move { (action, act_on_members(id, users, action).await) }
    });
    Effect::new(move |_| {
        if let Some((action, result)) = act.value().get() {
            message.set(Some(match result {
                Ok(count) => (
                    false,
                    match action {
                        MemberAction::Deactivate => t_string!(i18n, members.done_deactivate, count),
                        MemberAction::Reactivate => t_string!(i18n, members.done_reactivate, count),
                        MemberAction::Delete => t_string!(i18n, members.done_delete, count),
                    }
                    .to_string(),
                ),
                Err(error) => (true, error_text(i18n, &error)),
            }));
            data.refetch();
        }
    });
    let content = move || {
        data.get().map(|result| match result {
            Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            Ok(found) => {
                let reload = Callback::new(move |()| data.refetch());
                view! { <Members found page per_page listing transfer act message reload /> }
                    .into_any()
            }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, members.title) />
        <FormMessage message=message />
        <Transition>{content}</Transition>
    }
}

/// The structure's heading, its primary manager, the filter and the table.
#[component]
fn Members(
    found: MembersPage,
    page: RwSignal<u64>,
    per_page: RwSignal<u64>,
    listing: RwSignal<MemberQuery>,
    transfer: TransferAction,
    act: UsersAction,
    message: RwSignal<Option<(bool, String)>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ticked = RwSignal::new(Vec::<i32>::new());
    let run = move |action: MemberAction| {
        let users = ticked.get_untracked();
        if action == MemberAction::Delete {
            let question = t_string!(i18n, members.delete_confirm);
            if !window().confirm_with_message(question).unwrap_or(false) {
                return;
            }
        }
        act.dispatch((action, users));
    };
    let position = PagePosition::of(
        found.members.page,
        found.members.per_page,
        found.members.total,
    );
    let primary = found.primary_manager.as_ref().map(person_text);
    let structure_id = found.structure_id;
    let viewer_primary = found.viewer_primary;
    let header = move |sort: MemberSort| {
        let current = listing.get();
        let aria_sort = match (current.sort == sort, current.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                <button type="button" class="sort-button" on:click=move |_| {
                    listing.update(|l| *l = l.sorted_by(sort));
                    page.set(0);
                }>
                    {move || sort_label(i18n, sort)}
                </button>
            </th>
        }
        .into_any()
    };
    let rows = found
        .members
        .rows
        .into_iter()
        .map(|row| {
            let standing = row.standing;
            let active = row.active;
            let deactivated = row.deactivated;
            let reactivated_at = row.reactivated_at;
            let select_label = {
                let name = format!("{} {}", row.person.first_name, row.person.last_name);
                move || t_string!(i18n, members.select_named, name = name.clone()).to_string()
            };
            let user_id = row.user_id;
            let profiles = format!("/structures/{}/utilisateurs/{}", structure_id, row.user_id);
            let full_name = format!("{} {}", row.person.first_name, row.person.last_name);
            let successor = row.user_id;
            let hand_over = (viewer_primary && row.may_succeed).then(|| {
                let label_name = full_name.clone();
                let label = move || {
                    t_string!(i18n, members.transfer_named, name = label_name.clone()).to_string()
                };
                let confirm_name = full_name.clone();
                let question_name = full_name.clone();
                let question = move || {
                    t_string!(i18n, members.transfer_confirm, name = question_name.clone()).to_string()
                };
                view! {
                    " "
                    <button
                        type="button"
                        class="button-secondary"
                        aria-label=label
                        on:click=move |_| {
                            let confirmed = window().confirm_with_message(&question()).unwrap_or(false);
                            if confirmed {
                                transfer.dispatch((successor, confirm_name.clone()));
                            }
                        }
                    >
                        {t!(i18n, members.transfer)}
                    </button>
                }
            });
            let profiles_label = {
                let name = format!("{} {}", row.person.first_name, row.person.last_name);
                move || t_string!(i18n, members.profiles_named, name = name.clone()).to_string()
            };
            let last_login = row.last_login;
            view! {
                <tr>
                    <td>
                        <input
                            type="checkbox"
                            aria-label=select_label
                            prop:checked=move || ticked.with(|t| t.contains(&user_id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ticked.update(|t| {
                                    t.retain(|x| *x != user_id);
                                    if on {
                                        t.push(user_id);
                                    }
                                });
                            }
                        />
                    </td>
                    <th scope="row">{row.person.last_name.clone()}</th>
                    <td>{row.person.first_name.clone()}</td>
                    <td>{row.person.login_email.clone()}</td>
                    <td>{move || role_text(i18n, standing)}</td>
                    <td>{move || if active {
                        t_string!(i18n, members.user_active)
                    } else {
                        t_string!(i18n, members.user_disabled)
                    }}</td>
                    <td>{move || reactivated_at.map(|at| date_text(i18n, at)).unwrap_or_default()}</td>
                    <td>{move || last_login.map(|at| date_text(i18n, at)).unwrap_or_else(|| {
                        t_string!(i18n, members.never).to_owned()
                    })}</td>
                    <td>{move || if deactivated {
                        t_string!(i18n, members.attachment_deactivated)
                    } else {
                        t_string!(i18n, members.attachment_valid)
                    }}</td>
                    <td>
                        <A href=profiles attr:aria-label=profiles_label>{t!(i18n, members.profiles)}</A>
                        {hand_over}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    let empty = found.members.total == 0;
    let export = format!("/structures/{}/utilisateurs.csv", found.structure_id);
    let export_name = format!("utilisateurs-{}.csv", found.structure_id);
    view! {
        <h1>{found.name.clone()} " (" {found.identifier.clone()} ")"</h1>
        <h2>{t!(i18n, members.heading)}</h2>
        <p>
            {t!(i18n, members.primary_manager)} " : "
            {primary.unwrap_or_default()}
        </p>
        <TechnicalUserLine structure_id />
        <div class="actions">
            <a href=export download=export_name>{t!(i18n, structures.export)}</a>
        </div>
        <div class="actions">
            <AddUser structure_id message added=reload />
        </div>
        <div class="field">
            <label for="filtre-utilisateurs">{t!(i18n, members.filter)}</label>
            <input
                id="filtre-utilisateurs"
                type="search"
                maxlength="100"
                prop:value=move || listing.with(|l| l.filter.clone())
                on:change=move |ev| {
                    let typed = event_target_value(&ev);
                    listing.update(|l| l.filter = typed);
                    page.set(0);
                }
            />
        </div>
        <p role="status">{move || t_string!(i18n, members.count, count = position.total).to_string()}</p>
        <PageSize per_page page />
        {if empty {
            view! { <p>{t!(i18n, members.none)}</p> }.into_any()
        } else {
            view! {
                <div class="actions">
                    <button type="button" class="button-secondary" on:click=move |_| run(MemberAction::Deactivate)>
                        {t!(i18n, members.deactivate)}
                    </button>
                    <button type="button" class="button-secondary" on:click=move |_| run(MemberAction::Reactivate)>
                        {t!(i18n, members.reactivate)}
                    </button>
                    <button type="button" class="button-secondary" on:click=move |_| run(MemberAction::Delete)>
                        {t!(i18n, members.delete)}
                    </button>
                </div>
                <table class="data-table">
                    <caption class="visually-hidden">{t!(i18n, members.heading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, members.col_select)}</th>
                            {move || header(MemberSort::LastName)}
                            {move || header(MemberSort::FirstName)}
                            {move || header(MemberSort::LoginEmail)}
                            <th scope="col">{t!(i18n, members.col_role)}</th>
                            <th scope="col">{t!(i18n, members.col_user_status)}</th>
                            <th scope="col">{t!(i18n, members.col_reactivation)}</th>
                            {move || header(MemberSort::LastLogin)}
                            <th scope="col">{t!(i18n, members.col_attachment_status)}</th>
                            <th scope="col">{t!(i18n, members.col_actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <Pager page position />
            }
            .into_any()
        }}
    }
}
