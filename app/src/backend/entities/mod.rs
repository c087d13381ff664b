//! sea-orm entities: the database's view of the data. Domain types are
//! converted from and to these explicitly; they never reach the wire.

pub mod address_change;
pub mod api_client;
pub mod api_token;
pub mod application;
pub mod application_domain;
pub mod attachment_request;
pub mod attachment_request_service;
pub mod audit_log;
pub mod captcha_challenge;
pub mod invitation;
pub mod login_code;
pub mod login_throttle;
pub mod mail_outbox;
pub mod membership;
pub mod membership_service;
pub mod notification_topic;
pub mod profile;
pub mod profile_photo;
pub mod profile_request;
pub mod recovery_code;
pub mod security_key;
pub mod service;
pub mod session;
pub mod sirene_establishment;
pub mod sirene_unit;
pub mod structure;
pub mod support_ticket;
pub mod technical_user;
pub mod ticket_message;
pub mod totp_app;
pub mod user;
pub mod user_token;
pub mod webauthn_ceremony;
pub mod weekly_summary;
