//! The second step of *Se connecter* (rules L2, L3): the factor the server
//! asked for (a key, the app, or the e-mailed code), and *Se connecter
//! d'une autre façon*, which lists the others; choosing the e-mail sends a
//! code. A successful step reloads the site, now logged in.

use crate::api::login::{
    finish_key_login, resend_code, start_key_login, verify_app_code, verify_code,
    verify_recovery_code,
};
use crate::components::form::{FormMessage, TextField};
use crate::components::messages::{error_text, key_ceremony_text};
use crate::domain::factors::{Factor, LoginFactors};
use crate::error::AppError;
use crate::i18n::*;
use crate::webauthn::{self, KeyCeremonyError};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Where a completed login goes: *Mes structures* after *Se connecter*
/// (it offers to create a structure when there is none, rule S2), or back to
/// *Mes facteurs* after a re-authentication there.
#[derive(Clone, Copy)]
struct AfterLogin(&'static str);

/// After the last step: a full load of the destination, so every part of the
/// page knows the user.
fn logged_in(then: AfterLogin) {
    let _ = window().location().set_href(then.0);
}

/// The second step, whose code is a WASM chunk of its own: the password
/// form does not need it, so opening *Se connecter* does not download it
/// (issue 16: the first page's code). The password form calls [`preload`]
/// when it is sent, so the chunk arrives while the password is checked.
#[component]
pub fn SecondFactorStep(
    factors: LoginFactors,
    /// The page to load once logged in.
    then: &'static str,
) -> impl IntoView {
    view! { <Suspense>{Suspend::new(second_factor_chunk(factors, then))}</Suspense> }
}

/// Starts fetching the second step's chunk (nothing to fetch on the server).
pub fn preload() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(__preload_second_factor_chunk());
}

#[lazy]
fn second_factor_chunk(factors: LoginFactors, then: &'static str) -> AnyView {
    view! { <Steps factors then /> }.into_any()
}

#[component]
fn Steps(factors: LoginFactors, then: &'static str) -> impl IntoView {
    provide_context(AfterLogin(then));
    let i18n = use_i18n();
    let current = RwSignal::new(factors.asked);
    let all: Vec<Factor> = std::iter::once(factors.asked)
        .chain(factors.others.iter().copied())
        .collect();
    let show_others = RwSignal::new(false);
    let resend = Action::new(move |_: &()| resend_code());
    let choose = move |factor: Factor| {
        show_others.set(false);
        if factor == Factor::EmailCode {
            resend.dispatch(());
        }
        current.set(factor);
    };
    let other_label = move |factor: Factor| match factor {
        Factor::EmailCode => t_string!(i18n, login.other_way_email),
        Factor::Totp => t_string!(i18n, login.other_way_app),
        Factor::SecurityKey => t_string!(i18n, login.other_way_key),
        Factor::RecoveryCode => t_string!(i18n, login.other_way_recovery),
    };

    view! {
        {move || match current.get() {
            Factor::EmailCode => view! { <EmailCodeForm resend /> }.into_any(),
            Factor::Totp => view! { <TotpCodeForm /> }.into_any(),
            Factor::SecurityKey => view! { <SecurityKeyStep /> }.into_any(),
            Factor::RecoveryCode => view! { <RecoveryCodeForm /> }.into_any(),
        }}
        {(all.len() > 1)
            .then(|| {
                let all = all.clone();
                view! {
                    <div class="other-ways">
                        <button
                            type="button"
                            class="link-button"
                            aria-expanded=move || show_others.get().to_string()
                            aria-controls="autres-facons"
                            on:click=move |_| show_others.update(|s| *s = !*s)
                        >
                            {t!(i18n, login.other_way)}
                        </button>
                        <ul id="autres-facons" hidden=move || !show_others.get()>
                            {all
                                .iter()
                                .copied()
                                .map(|factor| {
                                    view! {
                                        <li hidden=move || current.get() == factor>
                                            <button type="button" class="button-secondary" on:click=move |_| choose(factor)>
                                                {move || other_label(factor)}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                }
            })}
    }
}

#[component]
fn EmailCodeForm(resend: Action<(), Result<(), AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let submit = Action::new(move |c: &String| verify_code(c.clone()));
    let then = expect_context::<AfterLogin>();
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(()))) {
            logged_in(then);
        }
    });
    // A fresh code makes earlier errors stale.
    Effect::new(move |_| {
        if resend.value().get().is_some() {
            submit.value().set(None);
        }
    });
    let message = Signal::derive(move || match (submit.value().get(), resend.value().get()) {
        (Some(Err(error)), _) => Some((true, error_text(i18n, &error))),
        (_, Some(Ok(()))) => Some((false, t_string!(i18n, login.resent).to_owned())),
        (_, Some(Err(error))) => Some((true, error_text(i18n, &error))),
        _ => Some((false, t_string!(i18n, login.code_sent).to_owned())),
    });
    view! {
        <h2>{t!(i18n, login.code_heading)}</h2>
        <form method="post"
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit.dispatch(code.get_untracked());
            }
        >
            <FormMessage message />
            <TextField
                id="code"
                label=Signal::derive(move || t_string!(i18n, login.code).to_owned())
                value=code
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
            // Seed 001 §1.7.4: when no code comes, Support is the way out.
            <p class="hint">
                <leptos_router::components::A href="/nous-contacter">{t!(i18n, ticket.nav)}</leptos_router::components::A>
            </p>
        </form>
    }
}

/// A step where the user types a code and the server checks it: the
/// authenticator app's code, or a recovery code.
#[component]
fn CodeStep<F, Fut>(
    #[prop(into)] heading: Signal<String>,
    #[prop(into)] intro: Signal<String>,
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] submit_label: Signal<String>,
    autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// What a wrong code is told, when it says more than the usual text.
    #[prop(optional, into)]
    wrong_code: Option<Signal<String>>,
    verify: F,
) -> impl IntoView
where
    F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), AppError>> + Send + 'static,
{
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let submit = Action::new(move |c: &String| verify(c.clone()));
    let then = expect_context::<AfterLogin>();
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(()))) {
            logged_in(then);
        }
    });
    let message = Signal::derive(move || match (submit.value().get(), wrong_code) {
        (Some(Err(AppError::CodeWrong)), Some(text)) => Some((true, text.get())),
        (Some(Err(error)), _) => Some((true, error_text(i18n, &error))),
        _ => None,
    });
    view! {
        <h2>{move || heading.get()}</h2>
        <p>{move || intro.get()}</p>
        <form method="post"
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit.dispatch(code.get_untracked());
            }
        >
            <FormMessage message />
            <TextField id label value=code autocomplete inputmode=inputmode.unwrap_or("text") required=true />
            <div class="actions">
                <button type="submit" class="button">{move || submit_label.get()}</button>
            </div>
        </form>
    }
}

#[component]
fn TotpCodeForm() -> impl IntoView {
    let i18n = use_i18n();
    let text = move |t: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || t(i18n).to_owned())
    };
    view! {
        <CodeStep
            heading=text(|i18n| t_string!(i18n, login.app_heading))
            intro=text(|i18n| t_string!(i18n, login.app_intro))
            id="code-application"
            label=text(|i18n| t_string!(i18n, login.app_code))
            submit_label=text(|i18n| t_string!(i18n, login.code_submit))
            autocomplete="one-time-code"
            inputmode="numeric"
            wrong_code=text(|i18n| t_string!(i18n, login.code_wrong_app))
            verify=verify_app_code
        />
    }
}

/// *Utiliser un code de secours*: one of the codes drawn in *Mes facteurs
/// d'authentification*, each good once.
#[component]
fn RecoveryCodeForm() -> impl IntoView {
    let i18n = use_i18n();
    let text = move |t: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || t(i18n).to_owned())
    };
    view! {
        <CodeStep
            heading=text(|i18n| t_string!(i18n, login.other_way_recovery))
            intro=text(|i18n| t_string!(i18n, login.recovery_hint))
            id="code-secours"
            label=text(|i18n| t_string!(i18n, login.recovery_code))
            submit_label=text(|i18n| t_string!(i18n, login.recovery_submit))
            autocomplete="off"
            verify=verify_recovery_code
        />
    }
}

/// The key ceremony of the login: the server's challenge,
/// `navigator.credentials.get`, the signed answer. `#[lazy]`: its code (the
/// WebAuthn types and their conversions) is a WASM chunk fetched when the
/// user first asks for it, not part of the login page's first load.
#[lazy]
async fn log_in_with_key() -> Result<(), KeyCeremonyError> {
    let options = start_key_login().await.map_err(KeyCeremonyError::Server)?;
    let answer = webauthn::get(options)
        .await
        .map_err(KeyCeremonyError::Browser)?;
    finish_key_login(answer)
        .await
        .map_err(KeyCeremonyError::Server)
}

#[component]
fn SecurityKeyStep() -> impl IntoView {
    let i18n = use_i18n();
    let ceremony = Action::new_local(move |_: &()| log_in_with_key());
    let then = expect_context::<AfterLogin>();
    Effect::new(move |_| {
        if matches!(ceremony.value().get(), Some(Ok(()))) {
            logged_in(then);
        }
    });
    let message = Signal::derive(move || {
        if ceremony.pending().get() {
            return Some((false, t_string!(i18n, login.key_waiting).to_owned()));
        }
        match ceremony.value().get() {
            Some(Err(error)) => Some((true, key_ceremony_text(i18n, &error))),
            _ => None,
        }
    });
    view! {
        <h2>{t!(i18n, login.key_heading)}</h2>
        <p>{t!(i18n, login.key_intro)}</p>
        <FormMessage message />
        <div class="actions">
            <button
                type="button"
                class="button"
                disabled=move || ceremony.pending().get()
                on:click=move |_| {
                    ceremony.dispatch(());
                }
            >
                {t!(i18n, login.key_use)}
            </button>
        </div>
    }
}
