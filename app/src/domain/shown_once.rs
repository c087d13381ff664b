//! A secret the server generates and shows its owner once: a technical
//! user's password, an API client's secret, an access token (rules T3, issue
//! 17). The one type for all of them, so that the one `Debug` that never
//! prints the value is written once and no log line, panic message or
//! `{:?}` of a struct holding one can leak it. On the wire it is the plain
//! string (`serde(transparent)`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShownOnce(String);

impl ShownOnce {
    pub fn new(value: String) -> ShownOnce {
        ShownOnce(value)
    }

    /// The value, for the one place that shows, hashes or sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ShownOnce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value_and_the_wire_carries_it_plain() {
        let secret = ShownOnce::new("Sésame-42".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(
            serde_json::to_string(&secret).unwrap_or_default(),
            "\"Sésame-42\""
        );
        assert_eq!(secret.expose(), "Sésame-42");
    }
}
