//! The page frame: skip link, header (brand, account links, display tools)
//! and footer. The display tools and the mode they set live in
//! [`preferences`](crate::components::preferences).

use crate::api::account::{LogOut, current_user};
use crate::components::preferences::{AccessibilityToggle, LanguageSwitch};
use crate::i18n::*;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

/// The skip link's target. The router handles in-page links itself, so the
/// hydrated link moves the focus explicitly (before hydration the browser's
/// fragment navigation does it).
fn focus_main(event: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let main = document()
        .get_element_by_id("contenu")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        event.prevent_default();
        // Focusing a tabindex=-1 element does not fail; if it did, the
        // link would simply leave the focus where it was.
        let _ = main.focus();
        main.scroll_into_view();
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <a class="skip-link" href="#contenu" on:click=focus_main>
                {t!(i18n, skip_to_content)}
            </a>
            <div class="header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-name">{t!(i18n, site_name)}</span>
                    <span class="brand-tagline">{t!(i18n, site_tagline)}</span>
                </A>
                <nav class="account-nav" aria-label=move || t_string!(i18n, account_nav)>
                    <AccountLinks />
                </nav>
                <div
                    class="display-tools"
                    role="group"
                    aria-label=move || t_string!(i18n, header_tools)
                >
                    <LanguageSwitch />
                    <AccessibilityToggle />
                </div>
            </div>
        </header>
    }
}

/// *Se connecter* / *Créer un compte* for visitors; the user's name and
/// *Se déconnecter* once logged in.
///
/// *Se déconnecter* is an `ActionForm`, so it works before the WASM has
/// hydrated: the browser posts it, the server ends the session and sends
/// the browser back to the page it came from (its `Referer`), now logged
/// out. Once hydrated, the same form is sent with `fetch` and the browser
/// goes to the home page.
#[component]
fn AccountLinks() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| current_user());
    let logout = ServerAction::<LogOut>::new();
    Effect::new(move |_| {
        if matches!(logout.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/");
        }
    });
    let visitor = move || {
        view! {
            <ul>
                <li>
                    <A href="/connexion">{t!(i18n, sign_in)}</A>
                </li>
                <li>
                    <A href="/creer-un-compte" attr:class="button-link">
                        {t!(i18n, create_account)}
                    </A>
                </li>
            </ul>
        }
    };
    view! {
        <Transition fallback=visitor>
            {move || match me.get() {
                Some(Ok(Some(user))) => {
                    let name = format!("{} {}", user.first_name, user.last_name);
                    let support = user.support;
                    view! {
                        <ul>
                            <li class="user-name">
                                {move || t_string!(i18n, signed_in_as, name = name.clone()).to_string()}
                            </li>
                            <li>
                                <A href="/mes-structures">{t!(i18n, structures.nav)}</A>
                            </li>
                            <li>
                                <A href="/mes-rattachements">{t!(i18n, attach.nav_attachments)}</A>
                            </li>
                            <li>
                                <A href="/mes-habilitations">{t!(i18n, authz.nav)}</A>
                            </li>
                            <li>
                                <A href="/demandes-de-rattachement">{t!(i18n, attach.nav_requests)}</A>
                            </li>
                            <li>
                                <A href="/historique-de-mes-demandes">{t!(i18n, attach.nav_history)}</A>
                            </li>
                            <li>
                                <A href="/mes-facteurs-authentification">{t!(i18n, factors.nav)}</A>
                            </li>
                            {support.then(|| view! {
                                <li>
                                    <A href="/support/structures">{t!(i18n, attach.nav_support)}</A>
                                </li>
                            })}
                            <li>
                                <ActionForm action=logout attr:class="inline-form">
                                    <button type="submit" class="tool-button">{t!(i18n, sign_out)}</button>
                                </ActionForm>
                            </li>
                        </ul>
                    }
                        .into_any()
                }
                _ => visitor().into_any(),
            }}
        </Transition>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer.accessibility)}</p>
            <p>{t!(i18n, footer.legal)}</p>
        </footer>
    }
}
