//! The page frame: skip link, header (brand, account links and the user's
//! menu, display tools) and footer. The display tools and the mode they set live in
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

/// *Se connecter* / *Créer un compte* for visitors; *Mes structures* and the
/// user's menu once logged in.
#[component]
fn AccountLinks() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| current_user());
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
                    view! {
                        <ul>
                            <li>
                                <A href="/mes-structures">{t!(i18n, structures.nav)}</A>
                            </li>
                            <li>
                                <UserMenu name support=user.support />
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

/// The user's menu, opened by their name (seed 001 §2: "cliquez sur votre
/// nom en haut à droite de l'écran"): the seed's items, the managers' and
/// Support's pages, and *Se déconnecter*. One place for every account page,
/// so the header does not grow a link per page.
///
/// It is a disclosure (`<details>`): its button opens it with a click, Enter
/// or Space, screen readers announce it expanded or collapsed, and all this
/// works before the WASM has hydrated. Once hydrated, Escape closes it and
/// gives the focus back to its button, and following one of its links or
/// clicking elsewhere closes it (the router changes the page under a
/// header that stays).
///
/// *Se déconnecter* is an `ActionForm`, so it works before hydration too:
/// the browser posts it, the server ends the session and sends the browser
/// back to the page it came from (its `Referer`), now logged out. Once
/// hydrated, the same form is sent with `fetch` and the browser goes to the
/// home page.
#[component]
fn UserMenu(name: String, support: bool) -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<LogOut>::new();
    Effect::new(move |_| {
        if matches!(logout.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/");
        }
    });
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let Some(details) = menu.get_untracked() else {
            return;
        };
        if event.key() == "Escape" && details.open() {
            event.prevent_default();
            details.set_open(false);
            if let Some(button) = details.first_element_child() {
                use wasm_bindgen::JsCast;
                if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        }
    };
    let outside = window_event_listener(leptos::ev::click, move |event| {
        use wasm_bindgen::JsCast;
        let Some(details) = menu.get_untracked() else {
            return;
        };
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if details.open() && !details.contains(target.as_ref()) {
            details.set_open(false);
        }
    });
    on_cleanup(move || outside.remove());
    // One list of (address, text), rendered by one loop: a view per item
    // written out would nest eight link types in the header's, whose
    // rendering then needs more stack than a server worker has in a debug
    // build (`server/tests/rendering.rs` overflowed).
    type Text = fn(leptos_i18n::I18nContext<Locale>) -> &'static str;
    let mut items: Vec<(&'static str, Text)> = vec![
        ("/mon-compte", |i| t_string!(i, account.nav)),
        ("/mes-rattachements", |i| {
            t_string!(i, attach.nav_attachments)
        }),
        ("/mes-habilitations", |i| t_string!(i, authz.nav)),
        ("/historique-de-mes-demandes", |i| {
            t_string!(i, attach.nav_history)
        }),
        ("/mes-facteurs-authentification", |i| {
            t_string!(i, factors.nav)
        }),
        ("/changer-mon-adresse-de-connexion", |i| {
            t_string!(i, address.nav)
        }),
        ("/demandes-de-rattachement", |i| {
            t_string!(i, attach.nav_requests)
        }),
    ];
    if support {
        items.push(("/support/structures", |i| t_string!(i, attach.nav_support)));
        items.push(("/support/tickets", |i| t_string!(i, desk.nav)));
        items.push(("/support/comptes", |i| t_string!(i, support_accounts.nav)));
        items.push(("/support/journal", |i| t_string!(i, journal.nav)));
    }
    let links = items
        .into_iter()
        .map(|(href, text)| {
            view! {
                <li>
                    <A href=href on:click=move |_| close()>
                        {move || text(i18n)}
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="user-menu" node_ref=menu on:keydown=on_keydown>
            <summary class="user-menu-button">
                <span class="visually-hidden">{t!(i18n, signed_in_prefix)}</span>
                <span class="user-name">{name}</span>
            </summary>
            <ul class="user-menu-list">
                {links}
                <li class="user-menu-end">
                    <ActionForm action=logout attr:class="inline-form">
                        <button type="submit" class="tool-button">{t!(i18n, sign_out)}</button>
                    </ActionForm>
                </li>
            </ul>
        </details>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p><A href="/nous-contacter">{t!(i18n, ticket.nav)}</A></p>
            <p>{t!(i18n, footer.accessibility)}</p>
            <p>{t!(i18n, footer.legal)}</p>
        </footer>
    }
}
