//! *Préférences utilisateurs* saved on the account (rule P4): the language
//! (also the language of the account's e-mails), the accessibility mode,
//! and the consent to satisfaction surveys. A logged-in change is written here; a login applies what is
//! saved (the caller sets the browser's cookies from [`saved`]), so the
//! choices follow the user to another browser. A visitor's choice lives in
//! cookies only until they log in.

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::user;
use crate::backend::state::AppState;
use crate::domain::preferences::{Language, Preferences};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, TransactionTrait};

/// What the account saved.
pub fn saved(account: &user::Model) -> Preferences {
    Preferences {
        language: Language::parse(&account.language).unwrap_or_default(),
        accessibility: account.accessibility,
    }
}

/// Saves the preferences the user changed (`None`: unchanged), audited.
pub async fn save(
    state: &AppState,
    user_id: i32,
    language: Option<Language>,
    accessibility: Option<bool>,
    survey_consent: Option<bool>,
) -> Result<(), DbErr> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id));
    if let Some(language) = language {
        update = update.col_expr(user::Column::Language, Expr::value(language.tag()));
    }
    if let Some(on) = accessibility {
        update = update.col_expr(user::Column::Accessibility, Expr::value(on));
    }
    if let Some(consent) = survey_consent {
        update = update.col_expr(user::Column::SurveyConsent, Expr::value(consent));
    }
    update.exec(&txn).await?;
    let entry = AuditEntry {
        actor_user_id: Some(user_id),
        event: "account.preferences_changed",
        subject: Subject::User(user_id),
        client_ip: None,
        details: serde_json::json!({
            "language": language.map(Language::tag),
            "accessibility": accessibility,
            "survey_consent": survey_consent,
        }),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await
}
