#!/usr/bin/env bash
# Runs every test of the portal and fails if any fails:
#   0. cargo fmt --check and clippy (server and browser builds, warnings denied);
#   1. unit and integration tests, native (SQLite always; PostgreSQL too when
#      TEST_DATABASE_URL is set, each test in a schema of its own);
#   2. the shared domain tests again, compiled to WebAssembly and run in Node
#      (the code the browser runs);
#   3. the end-to-end suites: Playwright in Debian's Chromium against the real
#      server, the release build of `make release` (what users get), started
#      with test support; they include the browser's byte budgets
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

# A hung test must fail the run, not use up CI's time: the builds have no
# limit (a clean clone compiles everything), the runs do.
phase 'native unit and integration tests'
cargo test -p app -p server --features app/ssr --no-run
phase 'native tests built; running them'
timeout --foreground 20m cargo test -p app -p server --features app/ssr

phase 'domain tests compiled to wasm32, run by wasm-bindgen-test-runner'
cargo test -p app --lib --target wasm32-unknown-unknown --features hydrate --no-run
# NODE_PATH: the stand-in for the WASM splitter's placeholder imports
# (scripts/wasm-test-node/__wasm_split_placeholder__/index.js).
NODE_PATH="$PWD/scripts/wasm-test-node" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  timeout --foreground 10m cargo test -p app --lib --target wasm32-unknown-unknown --features hydrate

phase 'end-to-end (Playwright), on the release build'
scripts/release.sh
phase 'Playwright suites'
(cd end2end && npx playwright test)
phase "done"
