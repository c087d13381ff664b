//! A short name for the browser a session was opened from, such as
//! "Firefox · Linux", read from its `User-Agent` for *Mes sessions*.
//!
//! Why a dozen substring rules rather than a User-Agent parser crate: the
//! label only helps a person tell their sessions apart, so the family of the
//! browser and of the system is enough, and the parsers (uaparser's rule file,
//! woothee's tables) would add tens of kilobytes to the WASM for versions and
//! devices nobody reads here. The order matters: Edge and Opera also say
//! "Chrome", Chrome also says "Safari", Android also says "Linux".

/// "Browser · System", the half that is known, or `None` when neither is.
pub fn device_label(user_agent: &str) -> Option<String> {
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(mark, _)| user_agent.contains(mark))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => Some(format!("{browser} · {system}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn common_browsers_are_named_with_their_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox · Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                "Safari · macOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
                "Chrome · iOS",
            ),
        ];
        for (agent, label) in cases {
            assert_eq!(device_label(agent).as_deref(), Some(label), "{agent}");
        }
    }

    #[test]
    fn an_unknown_agent_has_no_label_and_half_known_ones_say_the_half() {
        assert_eq!(device_label(""), None);
        assert_eq!(device_label("curl/8.5.0"), None);
        assert_eq!(device_label("Playwright (Linux)").as_deref(), Some("Linux"));
    }
}
