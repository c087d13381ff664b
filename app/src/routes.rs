//! The routes' views, each loaded by the browser when it is first needed.
//!
//! Every page is a [`LazyRoute`]: with `cargo leptos build --split` its view
//! (and the code only it uses) goes into a WASM chunk of its own, fetched
//! when the router first shows the page; code that several pages share goes
//! into shared chunks. The first page costs the main module (router, layout,
//! translations, the shared components) plus its own chunk, not the whole
//! application (issue 16: 250 KB brotli for the first page). The server
//! renders the same views at once, and names the first page's chunks in
//! `<link rel="preload">` so the browser fetches them with the main module;
//! the browser hydrates with `hydrate_from_async`, which waits for them.
//!
//! The routes have no data half: each page starts its own resources, which
//! the server has already rendered into the page.
//!
//! Only the not-found page stays in the main module: it is the router's
//! fallback, which cannot be lazy.

use crate::pages::{account, attachments, factors, home, structures};
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Declares, for each `Route => Page`, a unit struct whose lazy view is
/// `<Page/>`.
macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $route:ident => $page:path;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    /// `/`
    Home => home::HomePage;
    /// `/connexion`
    Login => account::login::LoginPage;
    /// `/creer-un-compte`
    Signup => account::signup::SignupPage;
    /// `/activation`
    Activation => account::activation::ActivationPage;
    /// `/reinitialisation`
    Reset => account::activation::ResetPage;
    /// `/mot-de-passe-oublie`
    Forgot => account::forgot::ForgotPage;
    /// `/mes-structures`
    MyStructures => structures::MyStructuresPage;
    /// `/structures/creer`
    CreateStructure => structures::create::CreateStructurePage;
    /// `/structures/:id/services`
    Services => structures::services::ServicesPage;
    /// `/rattachements/demander`
    RequestAttachment => attachments::request::RequestAttachmentPage;
    /// `/mes-rattachements`
    MyAttachments => attachments::mine::MyAttachmentsPage;
    /// `/historique-de-mes-demandes`
    RequestHistory => attachments::history::RequestHistoryPage;
    /// `/demandes-de-rattachement`
    PendingRequests => attachments::approvals::PendingRequestsPage;
    /// `/support/structures`
    SupportStructures => attachments::support::SupportStructuresPage;
    /// `/mes-facteurs-authentification`
    Factors => factors::FactorsPage;
}
