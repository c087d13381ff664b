//! *Créer un compte* (rules A1, A2, A6): every field checked as the user
//! types by the shared `domain::account` code, again on the server; the
//! proof-of-work captcha runs by itself.

use crate::api::account::sign_up;
use crate::components::captcha::{Captcha, CaptchaCheck};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::field_problem_text;
use crate::components::page_title::PageTitle;
use crate::domain::account::{SignupField, SignupInput, check_field};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::collections::HashSet;

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let values: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [login, confirmation, last_name, first_name, phone, contact] = values;
    let input = Memo::new(move |_| SignupInput {
        login_email: login.get(),
        login_email_confirmation: confirmation.get(),
        last_name: last_name.get(),
        first_name: first_name.get(),
        phone: phone.get(),
        contact_email: contact.get(),
    });
    let touched = RwSignal::new(HashSet::<SignupField>::new());
    let submitted = RwSignal::new(false);
    let captcha = Captcha::new();
    let submit = Action::new(
        move |(input, challenge, nonce): &(SignupInput, String, u64)| {
            let (input, challenge, nonce) = (input.clone(), challenge.clone(), *nonce);
            async move { sign_up(input, challenge, nonce).await }
        },
    );
    let result = submit.value();
    let pending_captcha = RwSignal::new(false);

    let error = move |field: SignupField| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            let server = match result.get() {
                Some(Err(AppError::Fields(problems))) => {
                    problems.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
                }
                _ => None,
            };
            let local = check_field(&input.get(), field).err();
            shown
                .then_some(local.or(server))
                .flatten()
                .map(|p| field_problem_text(i18n, p))
        })
    };
    let touch = move |field: SignupField| {
        Callback::new(move |()| {
            touched.update(|t| {
                t.insert(field);
            })
        })
    };
    let label = move |text: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || text(i18n).to_owned())
    };
    let message = Signal::derive(move || {
        if pending_captcha.get() && captcha.solved.get().is_none() {
            return Some((true, t_string!(i18n, signup.captcha_pending).to_owned()));
        }
        let locally_invalid =
            submitted.get() && crate::domain::account::validate_signup(&input.get()).is_err();
        if locally_invalid {
            return Some((true, t_string!(i18n, form_error).to_owned()));
        }
        match result.get() {
            Some(Err(AppError::Fields(_))) => Some((true, t_string!(i18n, form_error).to_owned())),
            Some(Err(AppError::CaptchaFailed)) => {
                Some((true, t_string!(i18n, signup.captcha_failed).to_owned()))
            }
            Some(Err(_)) => Some((true, t_string!(i18n, errors.internal).to_owned())),
            _ => None,
        }
    });
    Effect::new(move |_| {
        if matches!(result.get(), Some(Err(_))) {
            captcha.restart();
        }
    });
    // A click while the anti-robot check still runs is kept: the form is
    // sent as soon as the check ends (the message says so meanwhile).
    captcha.send_when_solved(pending_captcha, move |solved| {
        let form = input.get_untracked();
        if crate::domain::account::validate_signup(&form).is_ok() {
            submit.dispatch((form, solved.challenge, solved.nonce));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if crate::domain::account::validate_signup(&input.get_untracked()).is_ok() {
            pending_captcha.set(true);
        }
    };

    view! {
        <PageTitle text=move || t_string!(i18n, signup.page_title) />
        <h1>{t!(i18n, create_account)}</h1>
        {move || {
            if matches!(result.get(), Some(Ok(()))) {
                view! {
                    <div class="notice" role="status">
                        <h2>{t!(i18n, signup.done_heading)}</h2>
                        <p>{t!(i18n, signup.done_text)}</p>
                    </div>
                }
                    .into_any()
            } else {
                view! {
                    <form method="post" class="form" novalidate on:submit=on_submit>
                        <p class="hint">{t!(i18n, required_hint)}</p>
                        <FormMessage message />
                        <TextField id="adresse-connexion" label=label(|i| t_string!(i, signup.login_email))
                            value=login error=error(SignupField::LoginEmail) input_type="email"
                            autocomplete="email" required=true on_blur=touch(SignupField::LoginEmail) />
                        <TextField id="confirmation-adresse" label=label(|i| t_string!(i, signup.login_email_confirmation))
                            value=confirmation error=error(SignupField::LoginEmailConfirmation) input_type="email"
                            autocomplete="email" required=true on_blur=touch(SignupField::LoginEmailConfirmation) />
                        <TextField id="nom" label=label(|i| t_string!(i, signup.last_name))
                            value=last_name error=error(SignupField::LastName)
                            autocomplete="family-name" required=true on_blur=touch(SignupField::LastName) />
                        <TextField id="prenom" label=label(|i| t_string!(i, signup.first_name))
                            value=first_name error=error(SignupField::FirstName)
                            autocomplete="given-name" required=true on_blur=touch(SignupField::FirstName) />
                        <TextField id="telephone" label=label(|i| t_string!(i, signup.phone))
                            value=phone error=error(SignupField::Phone) input_type="tel"
                            autocomplete="tel" on_blur=touch(SignupField::Phone) />
                        <TextField id="adresse-contact" label=label(|i| t_string!(i, signup.contact_email))
                            value=contact error=error(SignupField::ContactEmail) input_type="email"
                            autocomplete="email" on_blur=touch(SignupField::ContactEmail)
                            hint=label(|i| t_string!(i, signup.contact_hint)) />
                        <CaptchaCheck captcha />
                        <button type="submit" class="button">{t!(i18n, signup.submit)}</button>
                    </form>
                }
                    .into_any()
            }
        }}
    }
}
