//! *Créer un compte* (rules A1, A3, A6). A contact address other than the
//! login address is not taken on trust: the account's contact address is
//! the login address until the link sent to the other one is used (the
//! mechanism of a contact address change, `accounts::address`), so nobody
//! can direct an account's notifications to a mailbox that did not agree.

use super::{address, find_by_login, mail_context, portal_link};
use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user::{self, UserStatus};
use crate::backend::entities::user_token::TokenPurpose;
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::backend::structures::members::user_search_key;
use crate::backend::{links, mails, outbox};
use crate::domain::account::ValidSignup;
use crate::domain::address_change::AddressKind;
use crate::domain::preferences::Preferences;
use chrono::Duration;
use sea_orm::{ActiveModelTrait, DbErr, Set, SqlErr, TransactionTrait};

/// Creates a pending account and e-mails its activation link. When the login
/// address already has an account, nothing is created and that address is
/// told instead (pointing to *Mot de passe oublié ?*): the caller answers
/// the same in both cases, so the form reveals nothing (rule A6).
/// `preferences` are the visitor's display choices (rule P4): the account
/// starts with them.
pub async fn sign_up(
    state: &AppState,
    form: &ValidSignup,
    preferences: impl Into<Preferences>,
) -> Outcome<()> {
    let Preferences {
        language,
        accessibility,
    } = preferences.into();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if let Some(existing) = find_by_login(&txn, &form.login_email).await? {
        refuse_existing(state, &txn, &existing).await?;
        txn.commit().await?;
        return Ok(());
    }
    let inserted = user::ActiveModel {
        login_email: Set(form.login_email.clone()),
        // A different contact address counts once its link is used (below).
        contact_email: Set(form.login_email.clone()),
        last_name: Set(form.last_name.clone()),
        first_name: Set(form.first_name.clone()),
        phone: Set(form.phone.clone()),
        password_hash: Set(None),
        status: Set(UserStatus::Pending),
        language: Set(language.tag().to_owned()),
        accessibility: Set(accessibility),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        search_key: Set(user_search_key(
            &form.last_name,
            &form.first_name,
            &form.login_email,
        )),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let user = match inserted {
        Ok(user) => user,
        // Another sign-up with this address won the race: same answer.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    let minutes = state.settings.security.activation_link_minutes;
    let token = links::issue(
        &txn,
        user.id,
        TokenPurpose::Activation,
        Duration::minutes(i64::from(minutes)),
        now,
    )
    .await?;
    let link = portal_link(state, &format!("/activation?jeton={}", token.expose()));
    let cx = mail_context(state, language, &user.login_email);
    outbox::enqueue(
        &txn,
        mails::activation(&cx, &user.first_name, &link, minutes),
        now,
    )
    .await?;
    if form.contact_email != form.login_email
        && let Err(refusal) = address::send_link(
            state,
            &txn,
            &user,
            AddressKind::Contact,
            &form.contact_email,
            address::Origin::Owner(None),
        )
        .await?
    {
        return refuse(refusal);
    }
    audit::record(
        &txn,
        AuditEntry {
            actor_user_id: Some(user.id),
            event: "account.created",
            subject: Subject::User(user.id),
            client_ip: None,
            details: serde_json::json!({ "language": language.tag() }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn refuse_existing<C: sea_orm::ConnectionTrait>(
    state: &AppState,
    conn: &C,
    existing: &user::Model,
) -> Result<(), DbErr> {
    let now = state.clock.now();
    let link = portal_link(state, "/mot-de-passe-oublie");
    let cx = mail_context(state, super::language_of(existing), &existing.login_email);
    outbox::enqueue(conn, mails::account_exists(&cx, &link), now).await?;
    audit::record(
        conn,
        AuditEntry {
            actor_user_id: None,
            event: "account.signup_refused_existing",
            subject: Subject::User(existing.id),
            client_ip: None,
            details: serde_json::json!({}),
        },
        now,
    )
    .await
}
