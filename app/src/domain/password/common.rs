//! The common passwords that rule A4 alone would accept.
//!
//! `common.txt` is built by `scripts/common_passwords.py` from the list of
//! the million most frequent leaked passwords of SecLists (Daniel Miessler,
//! Jason Haddix, OWASP; the README says which package, the licence and the
//! filter): only the entries that a user could
//! type while meeting A4 are kept, the others being refused already. Both the
//! entries and the candidate are compared [`fold`]ed, so `!qaz2WSX#edc` and
//! `P@ssword1234` are caught as variants of `!QAZ2wsx#EDC` and
//! `password1234`. The file is sorted by byte and searched by bisection, in
//! the browser (live checklist) as on the server.
//!
//! The server compiles the list in. The browser does not: data always stays
//! in the main WASM module, which every first page loads (issue 16's budget),
//! while only the pages that choose a password need the list. They fetch it
//! from [`PATH`] (served by the server from this same file) and [`install`]
//! it; until then, [`is_common`] answers `None` and the checklist says the
//! server will check it.

use std::sync::OnceLock;

/// Where the server serves the list (one folded entry per line, as
/// `common.txt`), for the browser's checklist.
pub const PATH: &str = "/mots-de-passe-courants.txt";

/// One folded entry per line, sorted by byte, no duplicates.
#[cfg(not(target_arch = "wasm32"))]
pub const LIST: &str = include_str!("common.txt");

/// Leet-speak symbols and the letter they stand for (the same map as
/// `LEET` in `scripts/common_passwords.py`).
const LEET: [(char, char); 10] = [
    ('@', 'a'),
    ('4', 'a'),
    ('3', 'e'),
    ('1', 'i'),
    ('!', 'i'),
    ('0', 'o'),
    ('$', 's'),
    ('5', 's'),
    ('7', 't'),
    ('+', 't'),
];

/// Lower case, then leet-speak symbols back to their letters.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            LEET.iter()
                .find(|(symbol, _)| *symbol == c)
                .map_or(c, |(_, letter)| *letter)
        })
        .collect()
}

static ENTRIES: OnceLock<Vec<&'static str>> = OnceLock::new();

/// The list's entries: compiled in on the server, once [`install`]ed in the
/// browser.
fn entries() -> Option<&'static [&'static str]> {
    #[cfg(not(target_arch = "wasm32"))]
    ENTRIES.get_or_init(|| LIST.lines().collect());
    ENTRIES.get().map(Vec::as_slice)
}

/// Makes `text` (as served at [`PATH`]) the list of this page, in the
/// browser; `false` (and nothing installed) when it is not a sorted list of
/// folded entries, such as an error page.
pub fn install(text: String) -> bool {
    let well_formed = {
        let entries: Vec<&str> = text.lines().collect();
        !entries.is_empty()
            && entries.windows(2).all(|pair| pair[0] < pair[1])
            && entries.iter().all(|entry| fold(entry) == *entry)
    };
    if !well_formed {
        return false;
    }
    // Kept for the page's life: leaked once, only when it is the list.
    let text: &'static str = Box::leak(text.into_boxed_str());
    ENTRIES.set(text.lines().collect()).is_ok() || ENTRIES.get().is_some()
}

/// Whether `password` (NFC) is a listed password or a variant of one; `None`
/// in the browser until the list is [`install`]ed.
pub fn is_common(password: &str) -> Option<bool> {
    let key = fold(password);
    entries().map(|all| all.binary_search(&key.as_str()).is_ok())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Makes the list available, as the browser's checklist does.
    pub(in crate::domain::password) fn load() {
        #[cfg(target_arch = "wasm32")]
        if super::entries().is_none() {
            assert!(install(include_str!("common.txt").to_owned()));
        }
    }

    fn entries() -> &'static [&'static str] {
        load();
        super::entries().unwrap()
    }

    fn is_common(password: &str) -> bool {
        load();
        super::is_common(password).unwrap()
    }

    #[test]
    fn a_list_that_is_not_sorted_and_folded_is_not_installed() {
        assert!(!install("zebra1234567\nabricot12345\n".to_owned()));
        assert!(!install("Password1234\n".to_owned()));
        assert!(!install("<!DOCTYPE html>\n".to_owned()));
        assert!(!install(String::new()));
    }

    #[test]
    fn the_list_is_folded_sorted_and_without_duplicates() {
        let all = entries();
        assert!(all.len() > 1_000, "{} entries", all.len());
        for pair in all.windows(2) {
            assert!(pair[0] < pair[1], "{:?} then {:?}", pair[0], pair[1]);
        }
        for entry in all {
            assert_eq!(fold(entry), *entry);
            assert!(
                entry.chars().count() >= super::super::MIN_CHARS,
                "{entry:?}"
            );
        }
    }

    #[test]
    fn listed_passwords_are_found_whatever_their_case_and_leet_speak() {
        // Rank 447 756 of the source list, as listed, then other casings.
        assert!(is_common("!QAZ2wsx#EDC"));
        assert!(is_common("!qaz2WSX#edc"));
        // "password1234" (rank 31 872) with two leet substitutions.
        assert!(is_common("P@ssword1234"));
        assert!(is_common("Passw0rd!234"));
        // The first and last entries (bisection bounds).
        let all = entries();
        assert!(is_common(all[0]) && is_common(all[all.len() - 1]));
    }

    #[test]
    fn other_passwords_are_not_common() {
        assert!(!is_common("Abcdefgh1!xy"));
        assert!(!is_common("Soleil-Matin-2026"));
        assert!(!is_common(""));
        // A listed password with something more is another password.
        assert!(!is_common("!QAZ2wsx#EDCx"));
    }

    #[test]
    fn folding_lowers_case_and_reads_leet_speak() {
        assert_eq!(fold("P@$$W0RD!"), "passwordi");
        assert_eq!(fold("L33t+5p34k"), "leettspeak");
        assert_eq!(fold("ÉCOLE"), "école");
    }
}
