//! Server functions of authorisations (rules H2–H4): *Mes habilitations*,
//! the caller's own profiles on each of their structures. The caller reads
//! only their own memberships; the catalogue's labels come in both
//! languages (they are data, rule H1) and the page shows the one it speaks.

use super::attachments::Page;
use crate::domain::attachments::Standing;
use crate::domain::authorisations::Level;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A label of the catalogue, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub fr: String,
    pub en: String,
}

/// One profile: a domain, an application, a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRow {
    pub domain: Label,
    pub application: Label,
    pub level: Level,
}

/// One structure of *Mes habilitations*, with the caller's profiles there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationRow {
    pub structure_id: i32,
    pub identifier: String,
    pub name: String,
    pub standing: Standing,
    /// The services the profiles are narrowed to; empty: the whole
    /// structure.
    pub services: Vec<String>,
    pub profiles: Vec<ProfileRow>,
}

/// A page of *Mes habilitations*: the caller's structures, newest
/// attachment first.
#[server(endpoint = "my-authorisations")]
pub async fn my_authorisations(page: u64) -> Result<Page<AuthorisationRow>, AppError> {
    use super::attachments::PER_PAGE;
    use super::session::logged_in;
    use crate::backend::app_state;
    use crate::backend::attachments::mine;
    use crate::backend::authorisations;
    let state = app_state()?;
    let me = logged_in(&state).await?;
    let page = page.min(100_000);
    let (lines, total) = mine::attachments(&state.db, me.user.id, page, PER_PAGE).await?;
    let ids = lines.iter().map(|line| line.membership_id).collect();
    let mut held = authorisations::held_by(&state.db, ids).await?;
    let rows = lines
        .into_iter()
        .map(|line| AuthorisationRow {
            structure_id: line.structure.id,
            identifier: line.structure.identifier,
            name: line.structure.name,
            standing: line.standing,
            services: line
                .services
                .into_iter()
                .map(|s| format!("{} – {}", s.code, s.label))
                .collect(),
            profiles: held
                .remove(&line.membership_id)
                .unwrap_or_default()
                .into_iter()
                .map(|p| ProfileRow {
                    domain: Label {
                        fr: p.domain.label_fr,
                        en: p.domain.label_en,
                    },
                    application: Label {
                        fr: p.application.label_fr,
                        en: p.application.label_en,
                    },
                    level: p.level,
                })
                .collect(),
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}
