//! The pages of the e-mailed links: activation (rule A3) and password reset
//! (rule L4). Both choose a password with the same form.

use crate::components::page_title::PageTitle;
use crate::components::password::SetPasswordForm;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ActivationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, password.activation_title) />
        <h1>{t!(i18n, password.activation_heading)}</h1>
        <SetPasswordForm />
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, password.reset_title) />
        <h1>{t!(i18n, password.reset_heading)}</h1>
        <SetPasswordForm />
    }
}
