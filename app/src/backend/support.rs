//! Who acts as Support (rule U2): the proof a Support function takes.
//!
//! Every function of Support's back office takes an [`Agent`], and the one
//! way to make an agent is [`Agent::check`]: the caller's login address is
//! in `[support] logins` and their session was opened with an app or a key
//! (`domain::support`). A function cannot forget the check, and a test
//! cannot call one as somebody else.

use crate::backend::entities::user;
use crate::backend::error::{Outcome, refuse};
use crate::backend::state::AppState;
use crate::domain::factors::Factor;
use crate::domain::refusal::Refusal;
use crate::domain::support::{SupportRefusal, is_strong_login};

/// A Support agent, checked.
#[derive(Debug, Clone)]
pub struct Agent {
    user: user::Model,
}

impl Agent {
    /// `user`, whose session was opened with `second_factor`, as Support:
    /// *not allowed* for anyone not named Support (nothing more is said),
    /// and for Support itself a request to log in again with an app or a
    /// key when the session was opened otherwise.
    pub fn check(
        state: &AppState,
        user: user::Model,
        second_factor: Option<Factor>,
    ) -> Outcome<Agent> {
        if !state.settings.support.is_support(&user.login_email) {
            return refuse(Refusal::NotAllowed);
        }
        if !is_strong_login(second_factor) {
            return refuse(SupportRefusal::StrongLoginRequired);
        }
        Ok(Agent { user })
    }

    /// The agent's account.
    pub fn user(&self) -> &user::Model {
        &self.user
    }

    pub fn id(&self) -> i32 {
        self.user.id
    }
}
