//! Free text people type (names, labels, comments, reasons, searches,
//! addresses): which characters it may hold, one rule for every form.
//!
//! Control characters (Unicode's `Cc`: U+0000–U+001F and U+007F–U+009F) are
//! refused, with a translated message, rather than silently removed: nobody
//! types them, they come from a paste gone wrong or a hand-made request, and
//! a value stored differently from what was sent would surprise its author.
//! Multi-line fields (a comment, a reason) keep tab, line feed and carriage
//! return (browsers send a textarea's line breaks as CR LF); single-line
//! fields refuse those too. Every other character is kept: accents, any
//! script, emoji, combining marks, right-to-left marks.
//!
//! The first reason is NUL (U+0000): PostgreSQL's `text` cannot hold it and
//! refuses the whole statement, so a NUL reaching a query is a server error
//! instead of a refusal. The server also refuses, before any server function
//! runs, a request whose decoded body or query holds a NUL
//! (`server/src/nul.rs`): this rule gives each form its own message, that one
//! guarantees no server function, present or future, ever passes a NUL on.

/// Whether `c` is refused in free text; `multi_line` fields keep tab, line
/// feed and carriage return.
pub fn is_refused(c: char, multi_line: bool) -> bool {
    c.is_control() && !(multi_line && matches!(c, '\t' | '\n' | '\r'))
}

/// Whether a single-line text holds a refused character.
pub fn has_refused_char(text: &str) -> bool {
    text.chars().any(|c| is_refused(c, false))
}

/// Whether a multi-line text holds a refused character.
pub fn has_refused_char_multi_line(text: &str) -> bool {
    text.chars().any(|c| is_refused(c, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn control_characters_are_refused_and_every_script_is_kept() {
        for refused in ["a\0b", "\u{1}", "\u{1b}[31m", "\u{7f}", "\u{85}", "\u{9f}"] {
            assert!(has_refused_char(refused), "{refused:?}");
            assert!(has_refused_char_multi_line(refused), "{refused:?}");
        }
        for line_break in ["a\tb", "a\nb", "a\r\nb"] {
            assert!(has_refused_char(line_break), "{line_break:?}");
            assert!(!has_refused_char_multi_line(line_break), "{line_break:?}");
        }
        for kept in [
            "Crème brûlée",
            "e\u{301}\u{301}\u{301}",
            "\u{202E}txt.exe\u{202C}",
            "\u{200F}שלום",
            "مرحبا",
            "日本語",
            "Привет",
            "👩‍👩‍👧‍👦🇫🇷",
            "\u{FEFF}\u{200B}",
            "\u{10FFFF}",
        ] {
            assert!(!has_refused_char(kept), "{kept:?}");
            assert!(!has_refused_char_multi_line(kept), "{kept:?}");
        }
    }
}
