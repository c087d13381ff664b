//! The portal's Leptos application, shared by the browser (feature `hydrate`)
//! and the server (feature `ssr`).
//!
//! - [`domain`]: the rules of the product, plain Rust, compiled on both sides;
//! - [`api`]: server functions, thin adapters from the wire to the backend;
//! - [`backend`] (server only): persistence, state, mail outbox, audit log;
//! - [`components`] and [`pages`]: the user interface, one file per page;
//! - [`routes`]: the pages as lazy routes (one WASM chunk each);
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
pub mod routes;
pub mod webauthn;

use crate::components::layout::{Footer, Header};
use crate::components::preferences::{DisplayModeProvider, LanguageProvider};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
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
                // The stylesheet's name carries its content's hash
                // (`hash-files`), which only the server knows.
                <HashedStylesheet options=options.clone() id="portal" />
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
///
/// Every route renders `SsrMode::Async`: the server waits for the page's
/// data (a few local queries, about a millisecond) and sends the page once,
/// complete. Out-of-order streaming, leptos's default, rendered each
/// `Suspense` twice (its fallback, then its content in a `<template>` with a
/// script to swap them in) and sent them in three writes to the socket; and
/// without JavaScript a visitor saw only the fallbacks. Throughput did not
/// gain: measured side by side on 2026-12-06 (`wrk`, 32 connections), the
/// build with this mode, one session lookup a page and fewer queries served
/// *Mes structures* at about 870 requests/s against 1 000 before, the home
/// page the same. Which of the three costs that is still to be measured
/// (issue 16); the mode stays for the visitors without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <LanguageProvider>
            <DisplayModeProvider>
                <Router>
                    <Header />
                    <main id="contenu" tabindex="-1">
                        <Routes fallback=NotFoundPage>
                            <Route ssr=SsrMode::Async path=StaticSegment("") view={Lazy::<routes::Home>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("connexion") view={Lazy::<routes::Login>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("creer-un-compte") view={Lazy::<routes::Signup>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("nous-contacter") view={Lazy::<routes::Contact>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("activation") view={Lazy::<routes::Activation>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("reinitialisation") view={Lazy::<routes::Reset>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("mot-de-passe-oublie") view={Lazy::<routes::Forgot>::new()} />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("confirmer-adresse-de-connexion")
                                view={Lazy::<routes::ConfirmAddress>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("confirmer-adresse-de-contact")
                                view={Lazy::<routes::ConfirmContact>::new()}
                            />
                            <Route ssr=SsrMode::Async path=StaticSegment("mes-structures") view={Lazy::<routes::MyStructures>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("raccordements") view={Lazy::<routes::Connections>::new()} />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("raccordements"), StaticSegment("compte-technique"))
                                view={Lazy::<routes::TechnicalAccount>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("mes-structures"), StaticSegment("transferer"))
                                view={Lazy::<routes::TransferAll>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("structures"), StaticSegment("creer"))
                                view={Lazy::<routes::CreateStructure>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("structures"), ParamSegment("id"))
                                view={Lazy::<routes::StructurePage>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("structures"), ParamSegment("id"), StaticSegment("utilisateurs"), ParamSegment("user_id"))
                                view={Lazy::<routes::MemberProfiles>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("structures"), ParamSegment("id"), StaticSegment("services"))
                                view={Lazy::<routes::Services>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("rattachements"), StaticSegment("demander"))
                                view={Lazy::<routes::RequestAttachment>::new()}
                            />
                            <Route ssr=SsrMode::Async path=StaticSegment("mes-rattachements") view={Lazy::<routes::MyAttachments>::new()} />
                            <Route ssr=SsrMode::Async path=StaticSegment("mes-habilitations") view={Lazy::<routes::MyAuthorisations>::new()} />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("historique-de-mes-demandes")
                                view={Lazy::<routes::RequestHistory>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("demandes-de-rattachement")
                                view={Lazy::<routes::PendingRequests>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("support"), StaticSegment("structures"))
                                view={Lazy::<routes::SupportStructures>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("support"), StaticSegment("tickets"))
                                view={Lazy::<routes::SupportTickets>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("support"), StaticSegment("tickets"), ParamSegment("id"))
                                view={Lazy::<routes::SupportTicket>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("support"), StaticSegment("journal"))
                                view={Lazy::<routes::AuditJournal>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=(StaticSegment("support"), StaticSegment("comptes"))
                                view={Lazy::<routes::UserAccounts>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("mes-facteurs-authentification")
                                view={Lazy::<routes::Factors>::new()}
                            />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("changer-mon-adresse-de-connexion")
                                view={Lazy::<routes::ChangeAddress>::new()}
                            />
                            <Route ssr=SsrMode::Async path=StaticSegment("mon-compte") view={Lazy::<routes::MyAccount>::new()} />
                            <Route
                                ssr=SsrMode::Async
                                path=StaticSegment("desactiver-mon-compte")
                                view={Lazy::<routes::Deactivate>::new()}
                            />
                        </Routes>
                    </main>
                    <Footer />
                </Router>
            </DisplayModeProvider>
        </LanguageProvider>
    }
}
