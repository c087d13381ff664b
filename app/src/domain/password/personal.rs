//! A password must not contain the user's own names (the portal's addition
//! to rule A4): they are the first guesses of anyone who knows the user;
//! nor the words of the product and its platform ([`CONTEXT_WORDS`]), the
//! first guesses of anyone attacking its users.
//!
//! Looked for: each word of the first and last names and of the login
//! address's local part, and that local part whole, when it has at least
//! [`MIN_PART_CHARS`] characters (shorter ones would refuse too many
//! passwords by chance). The comparison [`fold`]s both sides: case, accents,
//! the ligatures `œ` and `æ`, and the leet-speak of [`super::common::fold`],
//! so `Hélène` is found in `HELENE-2026!x` and `Dupont` in `Dup0nt`.

use super::{common, nfc};

/// Words of the product and its platform (ASVS 6.1.2, 6.2.11): the first
/// guesses of anyone attacking this portal's users, folded like the rest.
/// `docs/security.md` keeps the same list.
pub const CONTEXT_WORDS: &[&str] = &[
    "facturo",
    "chorus",
    "choruspro",
    "cpro",
    "aife",
    "dgfip",
    "portail",
    "facture",
    "facturation",
    "einvoicing",
    "efacture",
    "siret",
    "siren",
    "sirene",
    "insee",
    "gestionnaire",
    "habilitation",
    "rattachement",
];

/// Fewest characters (once folded) a name part must have to be looked for.
pub const MIN_PART_CHARS: usize = 3;

/// Who the password is for. Empty fields are not checked: a page that does
/// not know the user (activation, reset) leaves them empty and the server,
/// which knows, checks again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalData {
    pub first_name: String,
    pub last_name: String,
    pub login_email: String,
}

impl PersonalData {
    pub fn new(first_name: &str, last_name: &str, login_email: &str) -> PersonalData {
        PersonalData {
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            login_email: login_email.to_owned(),
        }
    }

    /// Whether there is anything to look for.
    pub fn is_known(&self) -> bool {
        !self.parts().is_empty()
    }

    /// Whether `password` (NFC) contains one of the parts, or a word of
    /// the product ([`CONTEXT_WORDS`]).
    pub fn is_in(&self, password: &str) -> bool {
        let folded = fold(password);
        let context = CONTEXT_WORDS.iter().map(|word| fold(word));
        self.parts()
            .into_iter()
            .chain(context)
            .any(|part| folded.contains(part.as_str()))
    }

    /// The folded parts looked for.
    fn parts(&self) -> Vec<String> {
        let local = self
            .login_email
            .rsplit_once('@')
            .map_or(self.login_email.as_str(), |(local, _)| local);
        let words = [self.first_name.as_str(), self.last_name.as_str(), local]
            .into_iter()
            .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()));
        words
            .chain([local])
            .map(fold)
            .filter(|part| part.chars().count() >= MIN_PART_CHARS)
            .collect()
    }
}

/// Accents off (NFD without the combining diacritics U+0300–U+036F), `œ` and
/// `æ` spelled out, then lower case and leet-speak read as letters.
pub fn fold(s: &str) -> String {
    let bare: String = nfc::nfd(s)
        .chars()
        .filter(|c| !('\u{300}'..='\u{36F}').contains(c))
        .collect();
    common::fold(&bare).replace('œ', "oe").replace('æ', "ae")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn marie() -> PersonalData {
        PersonalData::new("Marie-Hélène", "Curie", "m.sklodowska@example.fr")
    }

    #[test]
    fn names_are_found_whatever_their_case_accents_and_leet_speak() {
        let me = marie();
        assert!(me.is_in("Abc-CURIE-2026!"));
        assert!(me.is_in("xHelene1234!"));
        assert!(me.is_in("xHÉLÈNE1234!"));
        // Typed decomposed (NFD) or precomposed, the same.
        assert!(me.is_in("xhe\u{301}le\u{300}ne1234!"));
        assert!(me.is_in("Mar1e-2026-Xy!"));
        assert!(me.is_in("Cur!e-2026-Xy"));
        assert!(!me.is_in("Abcdefgh1!xy"));
    }

    #[test]
    fn the_local_part_of_the_login_address_is_found_whole_or_by_word() {
        let me = marie();
        assert!(me.is_in("M.Sklodowska-26"));
        assert!(me.is_in("Sklodowska2026!"));
        // The domain is not personal.
        assert!(!me.is_in("Example2026!fr"));
    }

    #[test]
    fn parts_shorter_than_three_characters_are_not_looked_for() {
        let short = PersonalData::new("Li", "Bo", "jo@example.fr");
        assert!(!short.is_known());
        assert!(!short.is_in("Libojo2026!!"));
        assert!(PersonalData::new("Léa", "", "").is_in("Azerty-LEA-2026"));
    }

    #[test]
    fn nothing_is_looked_for_when_nothing_is_known() {
        assert!(!PersonalData::default().is_known());
        assert!(!PersonalData::default().is_in("Abcdefgh1!xy"));
        // A name made of accents alone folds to nothing: never a match-all.
        assert!(!PersonalData::new("\u{301}\u{301}\u{301}", "", "").is_in("Abcdefgh1!xy"));
    }

    #[test]
    fn the_words_of_the_product_are_refused_even_when_nothing_else_is_known() {
        assert!(PersonalData::default().is_in("Chorus-Pro2026!"));
        assert!(PersonalData::default().is_in("M0nF@ctur0-2026"));
        assert!(PersonalData::default().is_in("Siret12345678!"));
        assert!(!PersonalData::default().is_in("Abcdefgh1!xy"));
    }

    #[test]
    fn ligatures_are_spelled_out() {
        assert!(PersonalData::new("Lætitia", "Cœur", "").is_in("laetitia-2026!X"));
        assert!(PersonalData::new("", "Cœur", "").is_in("Mon-COEUR-2026!"));
        assert_eq!(fold("Œuvre Ærée"), "oeuvre aeree");
    }
}
