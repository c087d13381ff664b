//! The matrix's fixture: a structure with a service, its primary manager,
//! a manager, a consultation-only member, a suspended manager and a plain
//! member (the *subject* of the managers' actions, with a security key, a
//! session and a pending profile request), a pending attachment request
//! from an outsider, and another structure with its own primary manager.
//! Users are written directly (one shared password hash): a fixture is
//! built for every call, so it must be cheap.

use super::bodies::{Node, map, text};
use app::backend::AppState;
use app::backend::attachments;
use app::backend::authorisations::{self, requests};
use app::backend::entities::{
    membership, profile_request, security_key, session, structure, support_ticket, user,
};
use app::backend::sessions::{self, Lifetimes, SessionState};
use app::backend::structures::{self, members::user_search_key, services};
use app::domain::attachments::check_request;
use app::domain::authorisations::{Level, ORGANISATION, Origin};
use app::domain::factors::Factor;
use app::domain::structures::check_service;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

const IP: &str = "192.0.2.1";
const SUPPORT_EMAIL: &str = "support@example.fr";

/// The callers, in the order of the matrix's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persona {
    PrimaryManager,
    Manager,
    ConsultationMember,
    OtherStructure,
    SuspendedManager,
    Support,
    Anonymous,
}

pub const PERSONAS: [Persona; 7] = [
    Persona::PrimaryManager,
    Persona::Manager,
    Persona::ConsultationMember,
    Persona::OtherStructure,
    Persona::SuspendedManager,
    Persona::Support,
    Persona::Anonymous,
];

/// The state with [`SUPPORT_EMAIL`] as Support.
pub fn with_support(state: AppState) -> AppState {
    super::common::with_support(state, SUPPORT_EMAIL)
}

/// What every fixture of a backend shares: a real password hash, and the
/// Support agent (Support is a login address, so one account).
pub struct Shared {
    hash: String,
    support: i32,
}

impl Shared {
    pub async fn new(state: &AppState) -> Shared {
        let support = super::common::active_user(state, SUPPORT_EMAIL).await;
        Shared {
            hash: support.password_hash.clone().unwrap(),
            support: support.id,
        }
    }
}

pub struct Fixture {
    pub structure: i32,
    pub service: i32,
    pub subject: i32,
    pub subject_email: String,
    pub subject_key: i32,
    pub subject_session: String,
    pub attachment_request: i32,
    pub profile_request: i32,
    /// A structure awaiting Support's approval (rule S10), the outsider's.
    pub awaiting: i32,
    /// An open support ticket (rule U2).
    pub ticket: i32,
    /// An API client of the structure (issue 17; its line's id).
    pub api_client: i32,
    /// The user of each persona but the anonymous one.
    users: [i32; 6],
}

async fn person(state: &AppState, shared: &Shared, serial: u32, role: &str) -> user::Model {
    let now = state.clock.now();
    let email = format!("{role}-{serial}@example.fr");
    user::ActiveModel {
        login_email: Set(email.clone()),
        contact_email: Set(email.clone()),
        last_name: Set(role.to_owned()),
        first_name: Set("Matrice".into()),
        phone: Set(None),
        password_hash: Set(Some(shared.hash.clone())),
        status: Set(user::UserStatus::Active),
        language: Set("fr".into()),
        accessibility: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        search_key: Set(user_search_key(role, "Matrice", &email)),
        email_code_refused: Set(false),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .unwrap()
}

impl Fixture {
    pub async fn new(state: &AppState, shared: &Shared, serial: u32) -> Fixture {
        let db = &state.db;
        let now = state.clock.now();
        let primary = person(state, shared, serial, "primary").await;
        let manager = person(state, shared, serial, "manager").await;
        let consultation = person(state, shared, serial, "consultation").await;
        let other = person(state, shared, serial, "other").await;
        let suspended = person(state, shared, serial, "suspended").await;
        let subject = person(state, shared, serial, "subject").await;
        let outsider = person(state, shared, serial, "outsider").await;
        let form = super::common::outside_the_eu(&format!("MATRIX-{serial}"), "Matrice");
        let structure = structures::create(state, &primary, &form, IP)
            .await
            .unwrap();
        let elsewhere = super::common::outside_the_eu(&format!("ELSEWHERE-{serial}"), "Ailleurs");
        structures::create(state, &other, &elsewhere, IP)
            .await
            .unwrap();
        let public = super::common::outside_the_eu(&format!("PUBLIC-{serial}"), "Mairie");
        let awaiting = structures::create(state, &outsider, &public, IP)
            .await
            .unwrap();
        structure::Entity::update_many()
            .col_expr(
                structure::Column::Status,
                Expr::value(structure::StructureStatus::AwaitingSupport),
            )
            .filter(structure::Column::Id.eq(awaiting.id))
            .exec(db)
            .await
            .unwrap();
        let attach = async |user: &user::Model| {
            authorisations::attach(db, structure.id, user.id, Origin::Attached, now)
                .await
                .unwrap()
        };
        let managing = attach(&manager).await;
        authorisations::set_level(
            db,
            managing.id,
            ORGANISATION,
            Some(Level::Modification),
            now,
        )
        .await
        .unwrap();
        let consulting = attach(&consultation).await;
        let (_, applications) = authorisations::catalogue(db).await.unwrap();
        for application in applications {
            authorisations::set_level(
                db,
                consulting.id,
                &application.code,
                Some(Level::Consultation),
                now,
            )
            .await
            .unwrap();
        }
        let suspension = attach(&suspended).await;
        authorisations::set_level(
            db,
            suspension.id,
            ORGANISATION,
            Some(Level::Modification),
            now,
        )
        .await
        .unwrap();
        membership::Entity::update_many()
            .col_expr(membership::Column::DeactivatedAt, Expr::value(Some(now)))
            .filter(membership::Column::Id.eq(suspension.id))
            .exec(db)
            .await
            .unwrap();
        let subject_membership = attach(&subject).await;
        requests::ask(
            db,
            &subject_membership,
            ORGANISATION,
            Level::Modification,
            now,
        )
        .await
        .unwrap();
        let profile_request = profile_request::Entity::find()
            .filter(profile_request::Column::MembershipId.eq(subject_membership.id))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let service = services::add(
            state,
            primary.id,
            structure.id,
            &check_service("COMPTA", "Comptabilité").unwrap(),
        )
        .await
        .unwrap();
        let asked = check_request("Bonjour", false, &[]).unwrap();
        let attachment = attachments::request(state, &outsider, structure.id, &asked, IP)
            .await
            .unwrap()
            .request;
        let key = security_key::ActiveModel {
            user_id: Set(subject.id),
            name: Set("Clé".into()),
            credential_id: Set(format!("KEY-{serial}")),
            credential: Set("{}".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        super::common::logged_in_session(state, subject.id).await;
        let subject_session = session::Entity::find()
            .filter(session::Column::UserId.eq(subject.id))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id;
        // Inserted as it is stored: `tickets::submit` limits tickets per
        // client address, and every fixture comes from the same one.
        let ticket = support_ticket::ActiveModel {
            situation: Set("probleme-connexion".into()),
            status: Set("open".into()),
            reply_email: Set(subject.login_email.clone()),
            login_address: Set(Some(subject.login_email.clone())),
            description: Set("Je ne reçois plus mes codes.".into()),
            user_id: Set(None),
            language: Set(Some("fr".into())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        // The structure's technical user and an API client (issue 17).
        app::backend::technical::create(state, primary.id, structure.id, IP)
            .await
            .unwrap();
        app::backend::technical::clients::create(state, primary.id, structure.id, IP)
            .await
            .unwrap();
        let api_client = app::backend::technical::clients::list(state, primary.id, structure.id)
            .await
            .unwrap()[0]
            .id;
        Fixture {
            structure: structure.id,
            service: service.id,
            api_client,
            subject: subject.id,
            subject_email: subject.login_email.clone(),
            subject_key: key.id,
            subject_session,
            attachment_request: attachment.id,
            profile_request: profile_request.id,
            awaiting: awaiting.id,
            ticket: ticket.id,
            users: [
                primary.id,
                manager.id,
                consultation.id,
                other.id,
                suspended.id,
                shared.support,
            ],
        }
    }

    /// A fresh session cookie of the persona (none for the anonymous one),
    /// opened with an authenticator app: the Support persona must pass
    /// Support's strong-login rule, tested on its own in `support_desk.rs`.
    pub async fn cookie(&self, state: &AppState, persona: Persona) -> Option<String> {
        let index = PERSONAS.iter().position(|p| *p == persona)?;
        let user_id = *self.users.get(index)?;
        let now = state.clock.now();
        let lifetimes = Lifetimes::from_settings(&state.settings);
        let token = sessions::create(
            &state.db,
            &SessionState::logged_in(user_id, now, Factor::Totp),
            lifetimes,
            now,
        )
        .await
        .unwrap();
        Some(format!("portal_session={}", token.expose()))
    }
}

/// A security key's answer to a registration, well-formed and worthless.
pub fn attestation() -> Node {
    map(&[
        ("id", text("AAAA")),
        ("rawId", text("AAAA")),
        ("type", text("public-key")),
        ("extensions", map(&[])),
        (
            "response",
            map(&[
                ("attestationObject", text("AAAA")),
                ("clientDataJSON", text("AAAA")),
            ]),
        ),
    ])
}

/// A security key's answer to a login, well-formed and worthless.
pub fn assertion() -> Node {
    map(&[
        ("id", text("AAAA")),
        ("rawId", text("AAAA")),
        ("type", text("public-key")),
        ("extensions", map(&[])),
        (
            "response",
            map(&[
                ("authenticatorData", text("AAAA")),
                ("clientDataJSON", text("AAAA")),
                ("signature", text("AAAA")),
            ]),
        ),
    ])
}

/// The content type of [`photo_form`].
pub const PHOTO_FORM_TYPE: &str = "multipart/form-data; boundary=portal-photo";

/// The photo form (the one multipart server function, `upload-photo`) with
/// a 2 × 2 PNG in its file field.
pub fn photo_form() -> Vec<u8> {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(2, 2)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    let mut body = b"--portal-photo\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n".to_vec();
    body.extend_from_slice(&png.into_inner());
    body.extend_from_slice(b"\r\n--portal-photo--\r\n");
    body
}
