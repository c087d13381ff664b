//! The weekly summary of the structures' movements (rule P2), one line per
//! structure that moved, with its counts by kind.

use super::{Context, build, locale};
use crate::backend::outbox::NewMail;
use crate::domain::notifications::{Movement, Tally, Week};
use crate::domain::preferences::Language;
use chrono::Duration;
use leptos_i18n::td_string;

/// A structure that moved during the week.
pub struct SummaryLine<'a> {
    pub name: &'a str,
    /// SIRET or other identifier.
    pub identifier: &'a str,
    pub tally: Tally,
}

/// The summary of `week` for a manager; `lines` are not empty.
pub fn weekly_summary(
    cx: &Context<'_>,
    name: &str,
    week: Week,
    lines: &[SummaryLine<'_>],
) -> NewMail {
    let l = locale(cx.language);
    let product = cx.product;
    let date_format = match cx.language {
        Language::Fr => "%d/%m/%Y",
        Language::En => "%Y-%m-%d",
    };
    let from = week.monday.format(date_format).to_string();
    let to = (week.monday + Duration::days(6))
        .format(date_format)
        .to_string();
    let mut movements = String::new();
    for line in lines {
        let structure = line.name;
        let identifier = line.identifier;
        movements.push_str(&td_string!(
            l,
            mail.summary_structure,
            structure,
            identifier
        ));
        movements.push('\n');
        for movement in Movement::ALL {
            let count = line.tally.count(movement);
            if count == 0 {
                continue;
            }
            let text = match movement {
                Movement::Attachment => td_string!(l, mail.summary_attachments, count),
                Movement::Detachment => td_string!(l, mail.summary_detachments, count),
                Movement::Authorisation => td_string!(l, mail.summary_authorisations, count),
                Movement::Service => td_string!(l, mail.summary_services, count),
                Movement::TechnicalAccount => td_string!(l, mail.summary_technical, count),
            };
            movements.push_str("  - ");
            movements.push_str(&text);
            movements.push('\n');
        }
        movements.push('\n');
    }
    let movements = movements.trim_end();
    build(
        cx,
        td_string!(l, mail.summary_subject, product, from = from.clone()),
        td_string!(l, mail.summary_text, name, product, from, to, movements),
        "",
    )
}
