//! Server functions of the recovery codes and of refusing the e-mailed code
//! (*Mes facteurs d'authentification*); the login step with a recovery
//! code is in [`super::login`]. Drawing codes and changing the setting need
//! a recent authentication, like every change of factor.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page shows of the recovery codes and the e-mailed code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoverySummary {
    /// Unused recovery codes.
    pub left: u64,
    /// The account has an app or a key (codes can be drawn).
    pub has_strong_factor: bool,
    /// The e-mailed code is refused (and the refusal holds).
    pub email_code_refused: bool,
    /// The user may refuse the e-mailed code now.
    pub may_refuse_email_code: bool,
}

#[server(endpoint = "recovery")]
pub async fn recovery_overview() -> Result<RecoverySummary, AppError> {
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::factors::recovery;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let factors = recovery::account_factors(&state.db, &me.user).await?;
    Ok(RecoverySummary {
        left: recovery::unused(&state.db, me.user.id).await?,
        has_strong_factor: factors.has_strong_factor(),
        email_code_refused: !factors.accepts_email_code(),
        may_refuse_email_code: factors.may_refuse_email_code(),
    })
}

/// *Générer des codes de secours*: new codes, shown once (`ABCDE-FGHJK`).
#[server(endpoint = "recovery-codes")]
pub async fn generate_recovery_codes() -> Result<Vec<String>, AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::recovery;
    use crate::domain::factors::format_recovery_code;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    let codes = recovery::generate(&state, &me.user, &client_ip()).await?;
    Ok(codes
        .iter()
        .map(|code| format_recovery_code(code))
        .collect())
}

/// *Ne plus accepter le code reçu par e-mail* (`refused`) or accept it again.
#[server(endpoint = "email-code-setting")]
pub async fn set_email_code_refused(refused: bool) -> Result<(), AppError> {
    use super::session::{client_ip, recently_authenticated};
    use crate::backend::app_state;
    use crate::backend::factors::recovery;
    let state = app_state()?;
    let me = recently_authenticated(&state).await?;
    Ok(recovery::refuse_email_code(&state, &me.user, refused, &client_ip()).await?)
}
