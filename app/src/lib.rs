//! The portal's Leptos application, shared by the browser (feature `hydrate`)
//! and the server (feature `ssr`).
//!
//! - [`domain`]: the rules of the product, plain Rust, compiled on both sides;
//! - [`api`]: server functions, thin adapters from the wire to the backend;
//! - [`backend`] (server only): persistence, state, mail outbox, audit log;
//! - [`components`] and [`pages`]: the user interface, one file per page;
//! - [`i18n`]: the translations generated from `locales/`.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod webauthn;

use crate::components::layout::{Footer, Header};
use crate::components::preferences::{DisplayModeProvider, ignore_accept_language};
use crate::i18n::I18nContextProvider;
use crate::pages::{account, home::HomePage, not_found::NotFoundPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::{
    ParamSegment, StaticSegment,
    components::{Route, Router, Routes},
};

/// The HTML document the server renders around the application.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: providers, page frame and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="portal" href="/pkg/portal.css" />
        <I18nContextProvider
            cookie_name=domain::preferences::LANGUAGE_COOKIE
            ssr_lang_header_getter=ignore_accept_language()
        >
            <DisplayModeProvider>
                <Router>
                    <Header />
                    <main id="contenu" tabindex="-1">
                        <Routes fallback=NotFoundPage>
                            <Route path=StaticSegment("") view=HomePage />
                            <Route path=StaticSegment("connexion") view=account::login::LoginPage />
                            <Route
                                path=StaticSegment("creer-un-compte")
                                view=account::signup::SignupPage
                            />
                            <Route
                                path=StaticSegment("activation")
                                view=account::activation::ActivationPage
                            />
                            <Route
                                path=StaticSegment("reinitialisation")
                                view=account::activation::ResetPage
                            />
                            <Route
                                path=StaticSegment("mot-de-passe-oublie")
                                view=account::forgot::ForgotPage
                            />
                            <Route
                                path=StaticSegment("mes-structures")
                                view=pages::structures::MyStructuresPage
                            />
                            <Route
                                path=(StaticSegment("structures"), StaticSegment("creer"))
                                view=pages::structures::create::CreateStructurePage
                            />
                            <Route
                                path=(StaticSegment("structures"), ParamSegment("id"), StaticSegment("services"))
                                view=pages::structures::services::ServicesPage
                            />
                            <Route
                                path=(StaticSegment("rattachements"), StaticSegment("demander"))
                                view=pages::attachments::request::RequestAttachmentPage
                            />
                            <Route
                                path=StaticSegment("mes-rattachements")
                                view=pages::attachments::mine::MyAttachmentsPage
                            />
                            <Route
                                path=StaticSegment("historique-de-mes-demandes")
                                view=pages::attachments::history::RequestHistoryPage
                            />
                            <Route
                                path=StaticSegment("demandes-de-rattachement")
                                view=pages::attachments::approvals::PendingRequestsPage
                            />
                            <Route
                                path=(StaticSegment("support"), StaticSegment("structures"))
                                view=pages::attachments::support::SupportStructuresPage
                            />
                            <Route
                                path=StaticSegment("mes-facteurs-authentification")
                                view=pages::factors::FactorsPage
                            />
                        </Routes>
                    </main>
                    <Footer />
                </Router>
            </DisplayModeProvider>
        </I18nContextProvider>
    }
}
