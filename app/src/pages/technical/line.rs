//! The technical user above a structure's users (seed 002): *Utilisateur
//! technique : … (ACTIF)*, *Expiration du mot de passe de l'utilisateur
//! technique : …*, and for the primary manager *Réinitialiser le mot de
//! passe (utilisateur technique)*: a modal dialog, then *Confirmer*, and the
//! new password is in force at once and shown once.

use super::issued::{IssuedPanel, status_text};
use crate::api::technical::{reset_technical_password, technical_account};
use crate::components::messages::{date_text, error_text};
use crate::i18n::*;
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn TechnicalUserLine(structure_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let found = Resource::new(move || structure_id, technical_account);
    let dialog = NodeRef::<Dialog>::new();
    let reset = Action::new(move |(): &()| reset_technical_password(structure_id));
    Effect::new(move |_| {
        if reset.value().with(|v| matches!(v, Some(Ok(_)))) {
            found.refetch();
        }
    });
    let open = move |_| {
        if let Some(dialog) = dialog.get() {
            // Only fails on a dialog already open or not in the page.
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let manage = format!("/raccordements/compte-technique?structure={structure_id}");
    let body = move || {
        found.get().map(|result| {
            let Ok(overview) = result else {
                // The page above says why the structure cannot be shown.
                return ().into_any();
            };
            let manage = manage.clone();
            let Some(account) = overview.account else {
                return view! {
                    <p>
                        {t!(i18n, technical.line_user)} " : " {t!(i18n, technical.line_none)} " "
                        <A href=manage>{t!(i18n, technical.manage)}</A>
                    </p>
                }
                .into_any();
            };
            let (status, expiry) = (account.status, account.password_expires_at);
            let reset = overview.viewer_primary.then(|| {
                view! {
                    <button type="button" class="button-secondary" on:click=open>
                        {t!(i18n, technical.reset_button)}
                    </button>
                }
            });
            // Every manager may read *Compte technique*; only the primary
            // manager acts there.
            let action = view! {
                <div class="actions">
                    {reset}
                    <A href=manage.clone()>{t!(i18n, technical.manage)}</A>
                </div>
            };
            view! {
                <p>
                    {t!(i18n, technical.line_user)} " : " {account.login} " ("
                    {move || status_text(i18n, status)} ")"
                </p>
                <p>{t!(i18n, technical.line_expiry)} " : " {move || date_text(i18n, expiry)}</p>
                {action}
            }
            .into_any()
        })
    };
    view! {
        <section aria-labelledby="utilisateur-technique" class="technical-line">
            <h2 id="utilisateur-technique" class="visually-hidden">{t!(i18n, technical.line_user)}</h2>
            <Transition>{body}</Transition>
            {move || reset.value().get().map(|result| match result {
                Ok(issued) => view! {
                    <p role="status">{t!(i18n, technical.reset_done)}</p>
                    <IssuedPanel issued in_force=true />
                }
                .into_any(),
                Err(error) => view! { <p role="alert">{error_text(i18n, &error)}</p> }.into_any(),
            })}
            <dialog node_ref=dialog aria-labelledby="confirmer-reinitialisation">
                <h2 id="confirmer-reinitialisation">{t!(i18n, technical.reset_button)}</h2>
                <p>{t!(i18n, technical.reset_confirm)}</p>
                <div class="actions">
                    <button type="button" on:click=move |_| {
                        close();
                        reset.dispatch(());
                    }>
                        {t!(i18n, technical.confirm)}
                    </button>
                    <button type="button" class="button-secondary" on:click=move |_| close()>
                        {t!(i18n, technical.cancel)}
                    </button>
                </div>
            </dialog>
        </section>
    }
}
