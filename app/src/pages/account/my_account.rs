//! *Mon compte* (rule P1, seed 001 §2.2): the account's personal
//! information. Each field shows its value and *Modifier*; the button opens
//! an editor in place (the seed's "petite fenêtre contenant un champ de
//! saisie"), checked as typed by `domain::my_account`, saved with
//! *Enregistrer*, abandoned with *Annuler*; the focus goes to the editor
//! and back to *Modifier*. A saved value is shown as the server stored it
//! (the same check normalises it on both sides), without reloading the
//! page. The contact address changes through a link sent to the new
//! address, after a recent login (the factors page's re-authentication);
//! the login address has its own page.

use crate::api::address::PendingChange;
use crate::api::my_account::{AccountCard, my_account, request_contact_change, save_account_field};
use crate::components::form::{FormMessage, TextAreaField, TextField, focus_soon};
use crate::components::messages::{LoginNeeded, date_time_text, error_text, field_problem_text};
use crate::components::page_title::PageTitle;
use crate::domain::address_change::{CONFIRMATION, NEW_ADDRESS, check_address_field};
use crate::domain::my_account::{AccountField, check_account_field};
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::account::account_preferences::PreferencesSection;
use crate::pages::account::notification_settings::NotificationsSection;
use crate::pages::account::profile_photo::PhotoSection;
use crate::pages::factors::ReauthForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

/// `/mon-compte`
#[component]
pub fn MyAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let card = Resource::new(|| (), |_| my_account());
    // The outcome of the last save, announced (kept outside the list, which
    // the resource renders).
    let status = RwSignal::new(None::<(bool, String)>);
    let reauth = RwSignal::new(false);
    view! {
        <PageTitle text=move || t_string!(i18n, account.page_title) />
        <h1>{t!(i18n, account.heading)}</h1>
        <ReauthForm show=reauth then="/mon-compte" />
        <FormMessage message=status />
        <Transition>
            {move || {
                card.get()
                    .map(|found| match found {
                        Err(AppError::NotLoggedIn) => {
                            view! { <LoginNeeded text=move || t_string!(i18n, account.login_needed).to_owned() /> }
                                .into_any()
                        }
                        Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
                        Ok(card) => view! { <AccountSections card status reauth /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

fn field_label(i18n: I18nContext<Locale>, field: AccountField) -> &'static str {
    match field {
        AccountField::LastName => t_string!(i18n, account.last_name),
        AccountField::FirstName => t_string!(i18n, account.first_name),
        AccountField::Phone => t_string!(i18n, account.phone),
        AccountField::WorkAddress => t_string!(i18n, account.work_address),
        AccountField::Biography => t_string!(i18n, account.biography),
    }
}

/// The editor's id (the label's target).
fn field_id(field: AccountField) -> &'static str {
    match field {
        AccountField::LastName => "nom",
        AccountField::FirstName => "prenom",
        AccountField::Phone => "telephone",
        AccountField::WorkAddress => "lieu-de-travail",
        AccountField::Biography => "biographie",
    }
}

#[component]
fn AccountSections(
    card: AccountCard,
    status: RwSignal<Option<(bool, String)>>,
    reauth: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = AccountField::ALL
        .into_iter()
        .map(|field| {
            let value = card.value(field).map(str::to_owned);
            view! { <FieldRow field value status /> }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="informations-personnelles">
            <h2 id="informations-personnelles">{t!(i18n, account.personal)}</h2>
            <PhotoSection stamp=card.photo />
            <dl class="account-fields">
                {rows}
                <ContactRow current=card.contact_email.clone() pending=card.pending_contact.clone() status reauth />
                <div class="account-field">
                    <dt>{t!(i18n, account.login_email)}</dt>
                    <dd>
                        <span class="account-value">{card.login_email.clone()}</span>
                        <A href="/changer-mon-adresse-de-connexion">{t!(i18n, account.change_login)}</A>
                    </dd>
                </div>
            </dl>
        </section>
        <NotificationsSection chosen=card.notifications />
        <PreferencesSection
            language=card.language
            accessibility=card.accessibility
            survey_consent=card.survey_consent
        />
        <p>
            <A href="/desactiver-mon-compte">{t!(i18n, deactivate.nav)}</A>
        </p>
    }
}

/// "Modifier <label>": the visible word, and the field for screen readers.
#[component]
fn EditButton(
    label: Signal<String>,
    on_click: Callback<()>,
    node_ref: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button-secondary" node_ref=node_ref on:click=move |_| on_click.run(())>
            {t!(i18n, account.edit)}
            <span class="visually-hidden">{move || format!(" {}", label.get())}</span>
        </button>
    }
}

/// One field: its value and *Modifier*, or its editor.
#[component]
fn FieldRow(
    field: AccountField,
    value: Option<String>,
    status: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(value);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let label = Signal::derive(move || field_label(i18n, field).to_owned());
    let save = Action::new(move |value: &String| save_account_field(field, value.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            // Stored as the shared check normalised it.
            shown.set(
                check_account_field(field, &draft.get_untracked())
                    .ok()
                    .flatten(),
            );
            editing.set(false);
            status.set(Some((false, t_string!(i18n, account.saved).to_owned())));
        }
        Some(Err(AppError::DetailsField(_))) | None => {}
        Some(Err(error)) => status.set(Some((true, error_text(i18n, &error)))),
    });
    refocus_on_close(editing, edit_button);
    let error = Signal::derive(move || {
        let local = check_account_field(field, &draft.get()).err();
        let server = match save.value().get() {
            Some(Err(AppError::DetailsField(problem))) => Some(problem),
            _ => None,
        };
        local.or(server).map(|p| field_problem_text(i18n, p))
    });
    let open = Callback::new(move |()| {
        draft.set(shown.get_untracked().unwrap_or_default());
        status.set(None);
        editing.set(true);
        focus_soon(format!("#{}", field_id(field)));
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if check_account_field(field, &draft.get_untracked()).is_ok() {
            save.dispatch(draft.get_untracked());
        }
    };
    view! {
        <div class="account-field">
            <dt>{move || label.get()}</dt>
            <dd>
                <Show
                    when=move || editing.get()
                    fallback=move || {
                        view! {
                            <span class="account-value">
                                {move || shown.get().unwrap_or_else(|| t_string!(i18n, account.not_given).to_owned())}
                            </span>
                            <EditButton label on_click=open node_ref=edit_button />
                        }
                    }
                >
                    <form method="post" class="form form-inline-edit" novalidate on:submit=on_submit>
                        {if field.multi_line() {
                            view! { <TextAreaField id=field_id(field) label value=draft error /> }.into_any()
                        } else {
                            let required = matches!(field, AccountField::LastName | AccountField::FirstName);
                            view! { <TextField id=field_id(field) label value=draft error required /> }.into_any()
                        }}
                        <EditorActions busy=Signal::derive(move || save.pending().get()) editing />
                    </form>
                </Show>
            </dd>
        </div>
    }
}

/// The contact address: a link to the new one, after a recent login.
#[component]
fn ContactRow(
    current: String,
    pending: Option<PendingChange>,
    status: RwSignal<Option<(bool, String)>>,
    reauth: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = RwSignal::new(pending);
    let editing = RwSignal::new(false);
    let new_address = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let label = Signal::derive(move || t_string!(i18n, account.contact_email).to_owned());
    let request = Action::new(move |(address, again): &(String, String)| {
        request_contact_change(address.clone(), again.clone())
    });
    Effect::new(move |_| match request.value().get() {
        Some(Ok(change)) => {
            let until = date_time_text(i18n, change.expires_at);
            let address = change.new_address.clone();
            status.set(Some((
                false,
                t_string!(i18n, account.contact_sent, address, until).to_string(),
            )));
            pending.set(Some(change));
            editing.set(false);
        }
        Some(Err(AppError::RecentLoginRequired)) => reauth.set(true),
        _ => {}
    });
    let error = move |field| {
        Signal::derive(move || {
            let local = check_address_field(&new_address.get(), &confirmation.get(), field).err();
            let server = match request.value().get() {
                Some(Err(AppError::Fields(problems))) => {
                    problems.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
                }
                _ => None,
            };
            submitted
                .get()
                .then_some(local.or(server))
                .flatten()
                .map(|p| field_problem_text(i18n, p))
        })
    };
    let message = Signal::derive(move || match request.value().get() {
        Some(Err(AppError::Fields(_) | AppError::RecentLoginRequired)) | Some(Ok(_)) | None => None,
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
    });
    let valid = move || {
        [NEW_ADDRESS, CONFIRMATION].into_iter().all(|field| {
            check_address_field(&new_address.get(), &confirmation.get(), field).is_ok()
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if valid() {
            request.dispatch((new_address.get_untracked(), confirmation.get_untracked()));
        }
    };
    let open = Callback::new(move |()| {
        status.set(None);
        editing.set(true);
        focus_soon("#nouvelle-adresse-contact");
    });
    refocus_on_close(editing, edit_button);
    view! {
        <div class="account-field">
            <dt>{move || label.get()}</dt>
            <dd>
                <span class="account-value">{current}</span>
                {move || {
                    pending.get().map(|change| {
                        let until = date_time_text(i18n, change.expires_at);
                        let address = change.new_address;
                        view! { <p class="hint">{t_string!(i18n, account.contact_pending, address, until).to_string()}</p> }
                    })
                }}
                <Show when=move || editing.get() fallback=move || view! { <EditButton label on_click=open node_ref=edit_button /> }>
                    <form method="post" class="form form-inline-edit" novalidate on:submit=on_submit>
                        <p class="hint">{t!(i18n, account.contact_hint)}</p>
                        <FormMessage message />
                        <TextField
                            id="nouvelle-adresse-contact"
                            label=Signal::derive(move || t_string!(i18n, account.contact_new).to_owned())
                            value=new_address
                            error=error(NEW_ADDRESS)
                            input_type="email"
                            autocomplete="email"
                            required=true
                        />
                        <TextField
                            id="confirmation-adresse-contact"
                            label=Signal::derive(move || t_string!(i18n, account.contact_confirmation).to_owned())
                            value=confirmation
                            error=error(CONFIRMATION)
                            input_type="email"
                            required=true
                        />
                        <EditorActions busy=Signal::derive(move || request.pending().get()) editing />
                    </form>
                </Show>
            </dd>
        </div>
    }
}

/// *Enregistrer* (off while `busy`) and *Annuler*, which closes the editor.
#[component]
fn EditorActions(busy: Signal<bool>, editing: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="actions">
            <button type="submit" class="button" disabled=move || busy.get()>
                {t!(i18n, account.save)}
            </button>
            <button type="button" class="button-secondary" on:click=move |_| editing.set(false)>
                {t!(i18n, account.cancel)}
            </button>
        </div>
    }
}

/// Gives the focus back to *Modifier* when the editor closes (saved or
/// abandoned); the effect runs once the button is in the page again.
fn refocus_on_close(editing: RwSignal<bool>, button: NodeRef<leptos::html::Button>) {
    Effect::new(move |was_editing: Option<bool>| {
        let now = editing.get();
        if was_editing == Some(true)
            && !now
            && let Some(button) = button.get_untracked()
        {
            let _ = button.focus();
        }
        now
    });
}
