//! The authenticator app (rule F2): the registered app with its trash icon,
//! or *Ajouter une application*: the QR code (made on the server), the key
//! as text, the app's first code and the device's name.

use super::{FactorsContext, TrashIcon};
use crate::api::factors::{TotpEnrolment, add_totp, remove_totp, start_totp};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{date_text, device_name_error, error_text};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn TotpSection() -> impl IntoView {
    let i18n = use_i18n();
    let cx = expect_context::<FactorsContext>();
    let status = cx.app_status;
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let start = Action::new(move |_: &()| start_totp());
    let remove = Action::new(move |_: &()| remove_totp());
    let report = move |result: Result<String, AppError>| match result {
        Ok(done) => status.set(Some((false, done))),
        Err(error) => {
            cx.needs_reauth(&error);
            status.set(Some((true, error_text(i18n, &error))));
        }
    };
    Effect::new(move |_| match start.value().get() {
        Some(Ok(started)) => {
            status.set(None);
            enrolment.set(Some(started));
        }
        Some(Err(error)) => report(Err(error)),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            report(Ok(t_string!(i18n, factors.app_removed).to_owned()));
            cx.overview.refetch();
        }
        Some(Err(error)) => report(Err(error)),
        None => {}
    });
    let added = Callback::new(move |()| {
        enrolment.set(None);
        status.set(Some((false, t_string!(i18n, factors.app_added).to_owned())));
        cx.overview.refetch();
    });
    let registered = move || cx.overview.get().and_then(Result::ok).and_then(|o| o.app);

    view! {
        <section class="panel" aria-labelledby="application-titre">
            <h2 id="application-titre">{t!(i18n, factors.app_heading)}</h2>
            <FormMessage message=status />
            {move || match registered() {
                None => view! { <p>{t!(i18n, factors.app_none)}</p> }.into_any(),
                Some(app) => {
                    let name = app.name.clone();
                    let label = move || t_string!(i18n, factors.remove_app, name = name.clone()).to_string();
                    view! {
                        <ul class="factor-list">
                            <li>
                                <span class="factor-name">{app.name.clone()}</span>
                                " "
                                <span class="factor-meta">
                                    {move || {
                                        t_string!(i18n, factors.app_added_on, date = date_text(i18n, app.added_at))
                                            .to_string()
                                    }}
                                </span>
                                <button
                                    type="button"
                                    class="icon-button"
                                    aria-label=label.clone()
                                    title=label
                                    on:click=move |_| {
                                        remove.dispatch(());
                                    }
                                >
                                    <TrashIcon />
                                </button>
                            </li>
                        </ul>
                    }
                        .into_any()
                }
            }}
            {move || match enrolment.get() {
                Some(started) => view! { <EnrolmentForm started added /> }.into_any(),
                None => {
                    view! {
                        <button type="button" class="button" on:click=move |_| {
                            start.dispatch(());
                        }>{t!(i18n, factors.add_app)}</button>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The QR code, the key as text, the first code and the device's name.
#[component]
fn EnrolmentForm(started: TotpEnrolment, added: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let cx = expect_context::<FactorsContext>();
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let submit = Action::new(move |_: &()| {
        let (n, c) = (name.get_untracked(), code.get_untracked());
        async move { add_totp(n, c).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => added.run(()),
        Some(Err(error)) => {
            cx.needs_reauth(&error);
        }
        None => {}
    });
    let name_error = device_name_error(i18n, name, tried);
    let message = Signal::derive(move || match submit.value().get() {
        Some(Err(error)) => Some((true, error_text(i18n, &error))),
        _ => None,
    });
    let qr = format!("data:image/png;base64,{}", started.qr_png_base64);
    view! {
        <div class="enrolment">
            <p>{t!(i18n, factors.app_scan)}</p>
            <img class="qr-code" src=qr alt=move || t_string!(i18n, factors.qr_alt) width="200" height="200" />
            <div class="field">
                <label for="cle-application">{t!(i18n, factors.secret)}</label>
                <input id="cle-application" type="text" readonly class="secret" value=started.secret.clone() />
            </div>
            <div class="field">
                <label for="adresse-otpauth">{t!(i18n, factors.uri)}</label>
                <input id="adresse-otpauth" type="text" readonly class="secret" value=started.uri.clone() />
            </div>
            <form method="post"
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    tried.set(true);
                    if name_error.get_untracked().is_none() {
                        submit.dispatch(());
                    }
                }
            >
                <FormMessage message />
                <TextField
                    id="code-application"
                    label=Signal::derive(move || t_string!(i18n, factors.app_code).to_owned())
                    value=code
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    required=true
                />
                <TextField
                    id="nom-appareil"
                    label=Signal::derive(move || t_string!(i18n, factors.device_name).to_owned())
                    value=name
                    error=name_error
                    hint=Signal::derive(move || t_string!(i18n, factors.device_hint).to_owned())
                    required=true
                />
                <button type="submit" class="button">{t!(i18n, factors.confirm_app)}</button>
            </form>
        </div>
    }
}
