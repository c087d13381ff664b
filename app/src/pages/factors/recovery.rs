//! *Codes de secours* and the e-mailed code's setting: draw ten single-use
//! codes (shown once, downloadable as a text file), and, with codes in
//! hand, stop accepting the e-mailed code as a second factor. Shown to a
//! user with an app or a key; the server checks every rule again.

use super::FactorsContext;
use crate::api::recovery::{
    RecoverySummary, generate_recovery_codes, recovery_overview, set_email_code_refused,
};
use crate::components::form::FormMessage;
use crate::components::messages::error_text;
use crate::components::text_file::text_file_href;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn RecoverySection() -> impl IntoView {
    let i18n = use_i18n();
    let cx = expect_context::<FactorsContext>();
    let status = cx.recovery_status;
    let shown = cx.recovery_codes;
    // Read again whenever the factors change (an app or key added/removed).
    let summary = Resource::new(
        move || {
            cx.overview
                .get()
                .and_then(Result::ok)
                .map(|o| (o.app.is_some(), o.keys.len()))
        },
        |_| recovery_overview(),
    );
    let report = move |error: AppError| {
        cx.needs_reauth(&error);
        status.set(Some((true, error_text(i18n, &error))));
    };
    let generate = Action::new(move |_: &()| generate_recovery_codes());
    Effect::new(move |_| match generate.value().get() {
        Some(Ok(codes)) => {
            status.set(None);
            shown.set(Some(codes));
            summary.refetch();
        }
        Some(Err(error)) => report(error),
        None => {}
    });
    let setting = Action::new(move |refused: &bool| {
        let refused = *refused;
        async move { set_email_code_refused(refused).await.map(|()| refused) }
    });
    Effect::new(move |_| match setting.value().get() {
        Some(Ok(refused)) => {
            let done = if refused {
                t_string!(i18n, factors.email_code_now_refused)
            } else {
                t_string!(i18n, factors.email_code_now_accepted)
            };
            status.set(Some((false, done.to_owned())));
            summary.refetch();
        }
        Some(Err(error)) => report(error),
        None => {}
    });
    let body = move |found: RecoverySummary| {
        if !found.has_strong_factor {
            return view! { <p>{t!(i18n, factors.recovery_needs_factor)}</p> }.into_any();
        }
        let count = found.left;
        let generate_label = if count > 0 {
            t_string!(i18n, factors.recovery_regenerate)
        } else {
            t_string!(i18n, factors.recovery_generate)
        };
        view! {
            <p>{move || t_string!(i18n, factors.recovery_left, count = count).to_string()}</p>
            <div class="actions">
                <button type="button" class="button-secondary" on:click=move |_| {
                    generate.dispatch(());
                }>{generate_label}</button>
            </div>
            <h3>{t!(i18n, factors.email_code_heading)}</h3>
            <p>
                {if found.email_code_refused {
                    t_string!(i18n, factors.email_code_refused_state)
                } else {
                    t_string!(i18n, factors.email_code_accepted)
                }}
            </p>
            <p>{t!(i18n, factors.email_code_why)}</p>
            <div class="actions">
                {if found.email_code_refused {
                    Some(view! {
                        <button type="button" class="button-secondary" on:click=move |_| {
                            setting.dispatch(false);
                        }>{t!(i18n, factors.accept_email_code)}</button>
                    }.into_any())
                } else if found.may_refuse_email_code {
                    Some(view! {
                        <button type="button" class="button-secondary" on:click=move |_| {
                            setting.dispatch(true);
                        }>{t!(i18n, factors.refuse_email_code)}</button>
                    }.into_any())
                } else {
                    None
                }}
            </div>
        }
        .into_any()
    };

    view! {
        <section class="panel" aria-labelledby="secours-titre">
            <h2 id="secours-titre">{t!(i18n, factors.recovery_heading)}</h2>
            <p>{t!(i18n, factors.recovery_intro)}</p>
            <FormMessage message=status />
            {move || {
                shown.get().map(|codes| {
                    let title = t_string!(i18n, factors.recovery_file_title).to_owned();
                    let href = text_file_href(&[vec![title], codes.clone()].concat());
                    view! {
                        <p>{t!(i18n, factors.recovery_shown_once)}</p>
                        <ul class="recovery-codes" aria-label=move || t_string!(i18n, factors.recovery_list)>
                            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                        </ul>
                        <p>
                            <a href=href download="codes-de-secours.txt">{t!(i18n, factors.recovery_download)}</a>
                        </p>
                    }
                })
            }}
            <Transition>
                {move || summary.get().map(|found| match found {
                    Ok(found) => body(found),
                    Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
