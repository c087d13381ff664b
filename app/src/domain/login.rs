//! *Se connecter* (rules L1–L3, L5): why a login step is refused.
//!
//! The same answers serve every step that proves who the user is: the
//! password, the e-mailed code, the authenticator app's code, a security
//! key, and the re-authentications of *Mes facteurs d'authentification*.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a login step (or a re-authentication) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginRefusal {
    /// Unknown address, wrong password or account not active: one answer.
    BadCredentials,
    /// Too many tries; the lock ends by itself at `until`.
    Locked { until: DateTime<Utc> },
    /// The code (e-mailed or the app's) is wrong, or was already used.
    CodeWrong,
    /// No live e-mailed code: expired, used, or never sent.
    CodeExpired,
    /// Too many wrong codes: a new one must be asked.
    CodeTooManyAttempts,
    /// This login has asked for all the e-mailed codes it may: start the
    /// login again.
    TooManyCodesSent,
}
