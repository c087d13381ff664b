// The module that the WASM splitter's imports name before `cargo leptos
// --split` rewrites them (the pages are lazy routes, app/src/routes.rs). The
// domain tests, compiled to wasm32 and run in Node by
// wasm-bindgen-test-runner, link the lazy functions without ever calling
// them; Node only needs the imports to exist. scripts/test.sh puts this
// folder on NODE_PATH for that run. Calling one is a bug in a test.
module.exports = new Proxy(
  {},
  {
    get: (_, name) => () => {
      throw new Error(`${String(name)}: lazy-loaded code is not available in the WASM unit tests`);
    },
  },
);
