//! The browser entry point. cargo-leptos builds this crate to WebAssembly
//! (split into chunks, see `app::routes`); the page's hydration script calls
//! [`hydrate`].

use wasm_bindgen::prelude::wasm_bindgen;

/// Room for the WASM splitter (cargo-leptos `--split`, wasm_split_cli_support)
/// to lay the constant data (`.rodata`) out again, module by module.
///
/// The splitter gives each chunk the constants only it uses, placed one
/// module after the other with their alignment; when that layout comes out
/// longer than the original segment, even by a few bytes of padding, it
/// gives up and puts the *whole* segment in the main module ("Overlong
/// segment … putting it in main module"): the first page then downloads
/// every page's texts (about 50 KB more, brotli; seen twice in issue 16).
/// Nothing reads these bytes, so the splitter places them in no module: they
/// only make the original segment longer than any new layout.
#[used]
static SPLIT_LAYOUT_ROOM: [u8; 8192] = [0x5a; 8192];

/// Hydrates the server-rendered page, then marks `<html data-hydrated>` so
/// that people's scripts and test suites know the page is interactive.
///
/// Hydration is asynchronous: the page's route is a lazy one whose WASM
/// chunk must be fetched first (`hydrate_body` would panic on it). The
/// marker is set once the whole page is hydrated, chunk included.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let (Some(body), Some(root)) = (document.body(), document.document_element()) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        // Setting an attribute on <html> cannot fail in practice; if it did,
        // the page still works and only the marker is missing.
        let _ = root.set_attribute("data-hydrated", "");
    });
}
