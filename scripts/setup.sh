#!/usr/bin/env bash
# Installs what building (and, with "e2e", end-to-end testing) the portal
# needs, when it is missing. Safe to run again: each step checks first.
# Everything comes from the package registries (crates.io, npm, Debian) or
# rustup: nothing downloads prebuilt tools from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11+ needs a newer rustc than the build machines'

step() { printf '\n== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "${CARGO_LEPTOS_VERSION}\$"; then
  # Its own release profile asks for fat LTO in one codegen unit, a long
  # serial link that was most of the 15 minutes this took on 2 cores; the
  # tool only drives cargo, wasm-bindgen and wasm-opt, so its own speed
  # hardly matters. `no_downloads`: it must never fetch tools from GitHub.
  step "installing cargo-leptos ${CARGO_LEPTOS_VERSION}"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "${CARGO_LEPTOS_VERSION}" --locked --features no_downloads
fi

# cargo-leptos needs the wasm-bindgen CLI of exactly the version in Cargo.lock;
# missing, it would try to download one and fail.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  step "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
  cargo install wasm-bindgen-cli --version "=${WASM_BINDGEN_VERSION}"
fi

if [ "${1:-}" = "e2e" ]; then
  # chromium runs the Playwright suites; wrk drives the load test
  # (end2end/tests/load.spec.ts) and `make bench`.
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  command -v wrk >/dev/null || missing="$missing wrk"
  if [ -n "$missing" ]; then
    step "installing from Debian:$missing"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
  fi
  # The public platform's Python client, unmodified, drives the API in
  # end2end/tests/api_client.spec.ts (issue 17): a virtual environment of
  # its own, from PyPI.
  if [ ! -f end2end/.venv/installed ] || [ end2end/python/requirements.txt -nt end2end/.venv/installed ]; then
    step "python venv end2end/.venv (chorus-api)"
    python3 -m venv end2end/.venv
    end2end/.venv/bin/pip install --quiet --disable-pip-version-check -r end2end/python/requirements.txt
    touch end2end/.venv/installed
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "npm ci (end2end)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
