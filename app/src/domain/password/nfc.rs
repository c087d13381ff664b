//! Unicode normalisation of passwords and names: NFC (what is checked and
//! hashed) and NFD (to fold accents away).
//!
//! The server uses the `unicode-normalization` crate; the browser asks its
//! JavaScript engine (`String.prototype.normalize`), which implements the same
//! standard. The crate's tables would add about 50 KB (gzip) to the WASM for
//! no gain: the browser's result only drives the live checklist, while the
//! server normalises again before it checks, hashes or verifies anything.

/// The NFC form of `s` (composed: `e` + U+0301 becomes `é`).
pub fn nfc(s: &str) -> String {
    normalize(s, Form::Composed)
}

/// The NFD form of `s` (decomposed: `é` becomes `e` + U+0301).
pub fn nfd(s: &str) -> String {
    normalize(s, Form::Decomposed)
}

enum Form {
    Composed,
    Decomposed,
}

#[cfg(not(target_arch = "wasm32"))]
fn normalize(s: &str, form: Form) -> String {
    use unicode_normalization::UnicodeNormalization;
    match form {
        Form::Composed => s.nfc().collect(),
        Form::Decomposed => s.nfd().collect(),
    }
}

#[cfg(target_arch = "wasm32")]
fn normalize(s: &str, form: Form) -> String {
    let name = match form {
        Form::Composed => "NFC",
        Form::Decomposed => "NFD",
    };
    String::from(js_sys::JsString::from(s).normalize(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn composed_and_decomposed_forms_round_trip() {
        let composed = "Éléphant ǖ 한";
        let decomposed = "E\u{301}le\u{301}phant u\u{308}\u{304} \u{1112}\u{1161}\u{11AB}";
        assert_eq!(nfc(decomposed), composed);
        assert_eq!(nfd(composed), decomposed);
        assert_eq!(nfc(composed), composed);
    }

    #[test]
    fn combining_marks_are_put_in_canonical_order() {
        // Dot below (class 220) sorts before dot above (class 230), then composes.
        assert_eq!(nfc("q\u{307}\u{323}"), "q\u{323}\u{307}");
        assert_eq!(nfc("s\u{307}\u{323}"), "\u{1E69}");
    }
}
