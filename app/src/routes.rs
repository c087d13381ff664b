//! The routes' views, each loaded by the browser when it is first needed.
//!
//! Every page is a [`LazyRoute`] whose view lives in a WASM chunk
//! (`cargo leptos build --split`), fetched when the router first shows one of
//! its pages. Pages come in **groups**, one chunk per group, rather than a
//! chunk per page: the splitter puts code that several chunks share into
//! chunks of its own, one per combination of users, and with a chunk per page
//! the portal was 197 files, the login page alone 50 requests, and a third of
//! the bytes were the chunks' own overhead (their imports and exports, and
//! small files that compress badly). A group is what a user goes through in
//! one sitting (logging in; creating an account; their organisation; their
//! factors), so its neighbours are usually wanted next.
//!
//! The first page costs the main module (router, layout, translations, the
//! shared components) plus its group's chunk (issue 16: 250 KB brotli). The
//! server renders the same views at once, and names the first page's chunks
//! in `<link rel="preload">` so the browser fetches them with the main
//! module; the browser hydrates with `hydrate_from_async`, which waits for
//! them.
//!
//! The routes have no data half: each page starts its own resources, which
//! the server has already rendered into the page.
//!
//! Only the not-found page stays in the main module: it is the router's
//! fallback, which cannot be lazy.

use crate::pages::{
    account, attachments, authorisations, contact, factors, home, structures, support, technical,
};
use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Declares, for each `group chunk / preload: Pages { Route => Page; … }`,
/// a lazy function `chunk` (the group's WASM chunk) that renders any of its
/// pages, and for each `Route` a unit struct whose lazy view is `<Page/>`,
/// through that function. `preload` must be `__preload_` + `chunk`: the
/// function `#[lazy]` makes to fetch the chunk (macro_rules cannot make a
/// name).
macro_rules! lazy_pages {
    ($(
        $(#[$group_doc:meta])*
        group $chunk:ident / $preload:ident: $pages:ident {
            $($(#[$doc:meta])* $route:ident => $page:path;)*
        }
    )*) => {$(
        $(#[$group_doc])*
        #[derive(Clone, Copy)]
        enum $pages {
            $($route,)*
        }

        #[lazy]
        fn $chunk(page: $pages) -> AnyView {
            match page {
                $($pages::$route => $page().into_any(),)*
            }
        }

        $(
            $(#[$doc])*
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $chunk($pages::$route).await
                }

                // The router awaits this before it hydrates the server's
                // page, whose view must then be there at once: without it,
                // hydration finds the chunk missing and fails.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    )*};
}

lazy_pages! {
    /// The home page, alone: it is the first page of most visits.
    group home_chunk / __preload_home_chunk: HomePages {
        /// `/`
        Home => home::HomePage;
    }
    /// Logging in, and the way back when the password is forgotten.
    group login_chunk / __preload_login_chunk: LoginPages {
        /// `/connexion`
        Login => account::login::LoginPage;
        /// `/mot-de-passe-oublie`
        Forgot => account::forgot::ForgotPage;
    }
    /// Creating an account and choosing a password through a link.
    group account_chunk / __preload_account_chunk: AccountPages {
        /// `/creer-un-compte`
        Signup => account::signup::SignupPage;
        /// `/activation`
        Activation => account::activation::ActivationPage;
        /// `/reinitialisation`
        Reset => account::activation::ResetPage;
        /// `/confirmer-adresse-de-connexion`
        ConfirmAddress => account::address::ConfirmAddressPage;
        /// `/confirmer-adresse-de-contact`
        ConfirmContact => account::address::ConfirmContactPage;
        /// `/nous-contacter`
        Contact => contact::ContactPage;
    }
    /// A user's structures, their services, attachment requests from both
    /// sides, and Support's approvals: one group, as they share most of
    /// their code (as two groups, the application was 38 KB brotli more).
    group organisation_chunk / __preload_organisation_chunk: OrganisationPages {
        /// `/mes-structures`
        MyStructures => structures::MyStructuresPage;
        /// `/mes-structures/transferer`
        TransferAll => structures::transfer_all::TransferAllPage;
        /// `/structures/creer`
        CreateStructure => structures::create::CreateStructurePage;
        /// `/structures/:id`
        StructurePage => structures::members::StructureMembersPage;
        /// `/structures/:id/utilisateurs/:user_id`
        MemberProfiles => authorisations::member::MemberProfilesPage;
        /// `/structures/:id/services`
        Services => structures::services::ServicesPage;
        /// `/rattachements/demander`
        RequestAttachment => attachments::request::RequestAttachmentPage;
        /// `/mes-rattachements`
        MyAttachments => attachments::mine::MyAttachmentsPage;
        /// `/historique-de-mes-demandes`
        RequestHistory => attachments::history::RequestHistoryPage;
        /// `/mes-habilitations`
        MyAuthorisations => authorisations::MyAuthorisationsPage;
        /// `/demandes-de-rattachement`
        PendingRequests => attachments::approvals::PendingRequestsPage;
        /// `/support/structures`
        SupportStructures => attachments::support::SupportStructuresPage;
        /// `/raccordements`
        Connections => technical::ConnectionsPage;
        /// `/raccordements/compte-technique`: beside the structure's page,
        /// which shows the technical user with the same code.
        TechnicalAccount => technical::account::TechnicalAccountPage;
    }
    /// The account: *Mon compte*, the authentication factors and sessions
    /// (the security-key ceremony is a chunk of its own, loaded on first
    /// use), and the login address, which share the re-authentication.
    group factors_chunk / __preload_factors_chunk: FactorPages {
        /// `/mes-facteurs-authentification`
        Factors => factors::FactorsPage;
        /// `/changer-mon-adresse-de-connexion`
        ChangeAddress => account::address::ChangeAddressPage;
        /// `/mon-compte`
        MyAccount => account::my_account::MyAccountPage;
        /// `/desactiver-mon-compte`
        Deactivate => account::deactivate::DeactivatePage;
    }
    /// Support's ticket desk, accounts and audit log: a chunk of its own,
    /// which only Support fetches.
    group support_chunk / __preload_support_chunk: SupportPages {
        /// `/support/tickets`
        SupportTickets => support::tickets::SupportTicketsPage;
        /// `/support/tickets/:id`
        SupportTicket => support::ticket::SupportTicketPage;
        /// `/support/journal`
        AuditJournal => support::journal::SupportJournalPage;
        /// `/support/comptes`
        UserAccounts => support::accounts::SupportAccountsPage;
    }
}
