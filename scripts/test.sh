#!/usr/bin/env bash
# Runs every test of the portal and fails if any fails:
#   0. cargo fmt --check and clippy (server and browser builds, warnings denied);
#   1. unit and integration tests, native (SQLite always; PostgreSQL too when
#      TEST_DATABASE_URL is set, each test in a schema of its own), built in
#      release mode: see `native tests` below;
#   2. the shared domain tests again, compiled to WebAssembly and run in Node
#      (the code the browser runs);
#   3. the end-to-end suites: Playwright in Debian's Chromium against the real
#      server in release mode (the binary of step 1) and the WASM of
#      `make release` (split, optimised, precompressed: what users get),
#      started with test support; they include the browser's byte budgets
#      (budgets.spec.ts) and a minute of load from 64 connections
#      (load.spec.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each phase's heading says how long the run has taken so far: CI allows 90
# minutes, and the README's promise is well under 60 on a clean clone.
phase() { printf '\n== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
scripts/setup.sh e2e

phase 'formatting and lints (warnings are errors)'
cargo fmt --all --check
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

# The native tests are built in release mode, so that the server they build
# (target/release/server, the package's binary, built for its integration
# tests) is the one the end-to-end suites run: the server and its
# dependencies are compiled once, optimised, instead of once in debug for the
# tests and once more in release for the browser tests; and the tests, which
# hash passwords and render pages by the thousand, run several times faster.
# LEPTOS_OUTPUT_NAME is read by leptos at compile time: cargo-leptos sets it
# for the server it builds, and so does this. `--features server/ssr`: the
# binary's features, as cargo-leptos builds it (the dev-dependencies add a
# few features to shared crates, e.g. tokio's `test-util` for the software
# security key; `make release` builds without them).
native_env=(LEPTOS_OUTPUT_NAME=portal)
native=(cargo test --release -p app -p server --features server/ssr)
# A hung test must fail the run, not use up CI's time: the builds have no
# limit (a clean clone compiles everything), the runs do.
phase 'native unit and integration tests (release build)'
env "${native_env[@]}" "${native[@]}" --no-run
phase 'native tests built; running them'
env "${native_env[@]}" timeout --foreground 20m "${native[@]}"

phase 'domain tests compiled to wasm32, run by wasm-bindgen-test-runner'
cargo test -p app --lib --target wasm32-unknown-unknown --features hydrate --no-run
# NODE_PATH: the stand-in for the WASM splitter's placeholder imports
# (scripts/wasm-test-node/__wasm_split_placeholder__/index.js).
NODE_PATH="$PWD/scripts/wasm-test-node" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  timeout --foreground 10m cargo test -p app --lib --target wasm32-unknown-unknown --features hydrate

phase 'end-to-end (Playwright): the browser side of the release build'
# The server is step 1's; cargo-leptos builds only the WASM, styles and assets.
scripts/release.sh --frontend-only
phase 'Playwright suites'
(cd end2end && npx playwright test)
phase "done"
