//! A text file the browser saves from a `data:` link: what a page shows once
//! (recovery codes, a technical password) can be kept without the server
//! ever serving it again.

/// A `data:` URL of `lines`, joined by CRLF (the file opens the same in any
/// editor), percent-encoded byte by byte (UTF-8 and all).
pub fn text_file_href(lines: &[String]) -> String {
    let text = lines.join("\r\n");
    let encoded: String = text
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("data:text/plain;charset=utf-8,{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn lines_are_encoded_whole() {
        let href = text_file_href(&["Mot de passe : a~b".to_owned(), "é".to_owned()]);
        assert_eq!(
            href,
            "data:text/plain;charset=utf-8,Mot%20de%20passe%20%3A%20a%7Eb%0D%0A%C3%A9"
        );
    }
}
