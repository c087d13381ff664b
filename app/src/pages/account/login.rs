//! *Se connecter* (rules L1, L2, L5): the password, then the 6-digit code
//! e-mailed to the login address.

use crate::api::account::{log_in, resend_code, verify_code};
use crate::components::form::{FormMessage, TextField};
use crate::error::AppError;
use crate::i18n::*;
use leptos_i18n::I18nContext;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The lock's end, as people read it.
fn until_text(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.to_utc().format("%H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::BadCredentials => t_string!(i18n, login.bad_credentials).to_owned(),
        AppError::Locked { until } => {
            t_string!(i18n, login.locked, until = until_text(until)).to_string()
        }
        AppError::CodeWrong => t_string!(i18n, login.code_wrong).to_owned(),
        AppError::CodeExpired => t_string!(i18n, login.code_expired).to_owned(),
        AppError::CodeTooManyAttempts => t_string!(i18n, login.code_locked).to_owned(),
        AppError::NotLoggedIn => t_string!(i18n, errors.session).to_owned(),
        _ => t_string!(i18n, errors.internal).to_owned(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password_step = Action::new(move |(e, p): &(String, String)| log_in(e.clone(), p.clone()));
    let code_step = Action::new(move |c: &String| verify_code(c.clone()));
    let resend = Action::new(move |_: &()| resend_code());
    let awaiting_code = move || matches!(password_step.value().get(), Some(Ok(())));

    Effect::new(move |_| {
        if matches!(code_step.value().get(), Some(Ok(()))) {
            // A full load, so that every part of the page knows the user.
            let _ = window().location().set_href("/");
        }
    });
    let password_message = Signal::derive(move || match password_step.value().get() {
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
        _ => None,
    });
    let code_message = Signal::derive(move || {
        let resent = resend.value().get();
        match (code_step.value().get(), resent) {
            (Some(Err(error)), _) => Some((true, error_text(i18n, &error))),
            (_, Some(Ok(()))) => Some((false, t_string!(i18n, login.resent).to_owned())),
            (_, Some(Err(error))) => Some((true, error_text(i18n, &error))),
            _ => Some((false, t_string!(i18n, login.code_sent).to_owned())),
        }
    });
    // A fresh code makes earlier errors stale.
    Effect::new(move |_| {
        if resend.value().get().is_some() {
            code_step.value().set(None);
        }
    });

    view! {
        <Title text=move || t_string!(i18n, login.page_title) />
        <h1>{t!(i18n, sign_in)}</h1>
        {move || {
            if awaiting_code() {
                view! {
                    <h2>{t!(i18n, login.code_heading)}</h2>
                    <form
                        class="form"
                        novalidate
                        on:submit=move |ev| {
                            ev.prevent_default();
                            code_step.dispatch(code.get_untracked());
                        }
                    >
                        <FormMessage message=code_message />
                        <TextField
                            id="code"
                            label=Signal::derive(move || t_string!(i18n, login.code).to_owned())
                            value=code
                            error=Signal::derive(|| None::<String>)
                            autocomplete="one-time-code"
                            inputmode="numeric"
                            required=true
                        />
                        <div class="actions">
                            <button type="submit" class="button">{t!(i18n, login.code_submit)}</button>
                            <button type="button" class="button-secondary" on:click=move |_| {
                                resend.dispatch(());
                            }>{t!(i18n, login.resend)}</button>
                        </div>
                    </form>
                }
                    .into_any()
            } else {
                view! {
                    <form
                        class="form"
                        novalidate
                        on:submit=move |ev| {
                            ev.prevent_default();
                            password_step.dispatch((email.get_untracked(), password.get_untracked()));
                        }
                    >
                        <FormMessage message=password_message />
                        <TextField
                            id="adresse-connexion"
                            label=Signal::derive(move || t_string!(i18n, login.login_email).to_owned())
                            value=email
                            error=Signal::derive(|| None::<String>)
                            input_type="email"
                            autocomplete="username"
                            required=true
                        />
                        <TextField
                            id="mot-de-passe"
                            label=Signal::derive(move || t_string!(i18n, login.password).to_owned())
                            value=password
                            error=Signal::derive(|| None::<String>)
                            input_type="password"
                            autocomplete="current-password"
                            required=true
                        />
                        <div class="actions">
                            <button type="submit" class="button">{t!(i18n, login.submit)}</button>
                            <A href="/mot-de-passe-oublie">{t!(i18n, login.forgot)}</A>
                        </div>
                    </form>
                }
                    .into_any()
            }
        }}
    }
}
