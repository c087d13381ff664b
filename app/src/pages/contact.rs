//! *Nous contacter* → *Envoyer un ticket* (rule U1; seed 001 §1.7.2, seed
//! 000): the situation, the address where Support answers and its
//! confirmation, for a login problem the login address concerned, the
//! description, the captcha, *Soumettre*. Open to visitors: it is how a
//! user locked out of their mailbox reaches Support. Checked as typed by
//! `domain::tickets`, again on the server; the number comes back on the
//! page and by e-mail.

use crate::api::tickets::send_ticket;
use crate::components::captcha::{Captcha, CaptchaCheck};
use crate::components::form::{FormMessage, TextAreaField, TextField};
use crate::components::messages::{error_text, field_problem_text, situation_text};
use crate::components::page_title::PageTitle;
use crate::domain::tickets::{
    LoginAddressField, Situation, TicketField, TicketInput, check_ticket, check_ticket_field,
};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// `/nous-contacter`
#[component]
pub fn ContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let values: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [situation, email, confirmation, login_address, description] = values;
    let input = Memo::new(move |_| TicketInput {
        situation: situation.get(),
        email: email.get(),
        email_confirmation: confirmation.get(),
        login_address: login_address.get(),
        description: description.get(),
    });
    let submitted = RwSignal::new(false);
    let captcha = Captcha::new();
    let submit = Action::new(
        move |(input, challenge, nonce): &(TicketInput, String, u64)| {
            let (input, challenge, nonce) = (input.clone(), challenge.clone(), *nonce);
            async move { send_ticket(input, challenge, nonce).await }
        },
    );
    let result = submit.value();
    let asks_login_address = move || {
        Situation::from_code(&situation.get())
            .is_some_and(|s| s.login_address() != LoginAddressField::Absent)
    };
    let error = move |field: TicketField| {
        Signal::derive(move || {
            let server = match result.get() {
                Some(Err(AppError::TicketFields(problems))) => {
                    problems.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
                }
                _ => None,
            };
            let local = check_ticket_field(&input.get(), field).err();
            submitted
                .get()
                .then_some(local.or(server))
                .flatten()
                .map(|p| field_problem_text(i18n, p))
        })
    };
    let message = Signal::derive(move || {
        if submitted.get() && check_ticket(&input.get()).is_err() {
            return Some((true, t_string!(i18n, form_error).to_owned()));
        }
        match result.get() {
            Some(Err(AppError::TicketFields(_))) => {
                Some((true, t_string!(i18n, form_error).to_owned()))
            }
            Some(Err(AppError::CaptchaFailed)) => {
                Some((true, t_string!(i18n, signup.captcha_failed).to_owned()))
            }
            Some(Err(error)) => Some((true, error_text(i18n, &error))),
            _ => None,
        }
    });
    Effect::new(move |_| {
        if matches!(result.get(), Some(Err(_))) {
            captcha.restart();
        }
    });
    let pending = RwSignal::new(false);
    captcha.send_when_solved(pending, move |solved| {
        let form = input.get_untracked();
        if check_ticket(&form).is_ok() {
            submit.dispatch((form, solved.challenge, solved.nonce));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if check_ticket(&input.get_untracked()).is_ok() {
            pending.set(true);
        }
    };
    let label = move |text: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || text(i18n).to_owned())
    };
    let situation_error = error(TicketField::Situation);
    view! {
        <PageTitle text=move || t_string!(i18n, ticket.page_title) />
        <h1>{t!(i18n, ticket.heading)}</h1>
        <p>{t!(i18n, ticket.intro)}</p>
        <h2>{t!(i18n, ticket.send)}</h2>
        {move || match result.get() {
            Some(Ok(number)) => {
                view! {
                    <div class="notice" role="status">
                        <p>{t_string!(i18n, ticket.sent, number).to_string()}</p>
                    </div>
                }
                    .into_any()
            }
            _ => {
                view! {
                    <form method="post" class="form" novalidate on:submit=on_submit>
                        <p class="hint">{t!(i18n, required_hint)}</p>
                        <FormMessage message />
                        <div class="field" class:field-invalid=move || situation_error.get().is_some()>
                            <div class="label-row">
                                <label for="situation">{t!(i18n, ticket.situation)}</label>
                                <span class="required" aria-hidden="true">"*"</span>
                            </div>
                            <select
                                id="situation"
                                name="situation"
                                required
                                aria-invalid=move || if situation_error.get().is_some() { "true" } else { "false" }
                                aria-describedby=move || situation_error.get().map(|_| "situation-erreur")
                                on:change=move |ev| situation.set(event_target_value(&ev))
                                prop:value=move || situation.get()
                            >
                                <option value="">{t!(i18n, ticket.situation_choose)}</option>
                                {Situation::ALL
                                    .into_iter()
                                    .map(|s| view! { <option value=s.code()>{move || situation_text(i18n, s)}</option> })
                                    .collect_view()}
                            </select>
                            <p id="situation-erreur" class="field-error-text" aria-live="polite">
                                {move || situation_error.get()}
                            </p>
                        </div>
                        <TextField id="adresse-mail" label=label(|i| t_string!(i, ticket.email))
                            value=email error=error(TicketField::Email) input_type="email"
                            autocomplete="email" required=true
                            hint=label(|i| t_string!(i, ticket.email_hint)) />
                        <TextField id="confirmation-adresse-mail" label=label(|i| t_string!(i, ticket.email_confirmation))
                            value=confirmation error=error(TicketField::EmailConfirmation) input_type="email"
                            autocomplete="email" required=true />
                        {move || {
                            let asked = Situation::from_code(&situation.get()).map(Situation::login_address);
                            let required = asked == Some(LoginAddressField::Required);
                            asks_login_address().then(|| view! {
                                <TextField id="adresse-connexion-concernee" label=label(|i| t_string!(i, ticket.login_address))
                                    value=login_address error=error(TicketField::LoginAddress) input_type="email"
                                    required=required hint=label(|i| t_string!(i, ticket.login_address_hint)) />
                            })
                        }}
                        <p id="description-aide" class="hint">{t!(i18n, ticket.description_hint)}</p>
                        <TextAreaField id="description" label=label(|i| t_string!(i, ticket.description))
                            value=description error=error(TicketField::Description) rows=8 />
                        <CaptchaCheck captcha />
                        <button type="submit" class="button" disabled=move || submit.pending().get()>
                            {t!(i18n, ticket.submit)}
                        </button>
                    </form>
                }
                    .into_any()
            }
        }}
    }
}
