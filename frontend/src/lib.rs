//! The browser entry point. cargo-leptos builds this crate to WebAssembly;
//! the page's hydration script calls [`hydrate`].

use wasm_bindgen::prelude::wasm_bindgen;

/// Hydrates the server-rendered page, then marks `<html data-hydrated>` so
/// that people's scripts and test suites know the page is interactive.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        // Setting an attribute on <html> cannot fail in practice; if it did,
        // the page still works and only the marker is missing.
        let _ = root.set_attribute("data-hydrated", "");
    }
}
