#!/usr/bin/env bash
# Builds what a production user deploys: `cargo leptos build --release`
# (server with `--release`, WASM with the `wasm-release` profile: size-optimised,
# LTO), `--split` (the WASM in chunks loaded per page, app/src/routes.rs) and
# `--precompress` (brotli and gzip copies of the static files, which the
# server sends to browsers that accept them). File names carry their
# content's hash (Cargo.toml, `hash-files`).
#
# cargo-leptos runs wasm-opt, and downloads it from GitHub when it is not on
# the PATH, which fails on machines that reach only the package registries.
# So wasm-opt comes from the npm package `binaryen` (pinned in
# end2end/package.json, installed by `scripts/setup.sh e2e`) and is put first
# on the PATH here.
#
# Output: target/release/server, target/release/hash.txt and target/site/
# (run the server with the LEPTOS_* variables that `cargo leptos serve
# --release --split` would set, see README *Production build*).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh e2e
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
printf '\n== wasm-opt: %s\n' "$(wasm-opt --version)"
# Extra arguments go to cargo-leptos: the test command passes --frontend-only
# (its server binary is the one its release-mode tests built).
cargo leptos build --release --split --precompress "$@"

printf '\n== the WASM and JS the browser may download (bytes; the budgets are checked by\n== end2end/tests/budgets.spec.ts)\n'
total_br=0
for file in $(find target/site/pkg -type f \( -name '*.wasm' -o -name '*.js' \) | sort); do
  raw=$(stat -c %s "$file")
  gz=$( [ -f "$file.gz" ] && stat -c %s "$file.gz" || echo "-")
  br=$( [ -f "$file.br" ] && stat -c %s "$file.br" || echo "-")
  [ "$br" != "-" ] && total_br=$((total_br + br))
  printf '%-50s raw %9s  gzip %9s  brotli %9s\n' "${file#target/site/pkg/}" "$raw" "$gz" "$br"
done
printf '%-50s %42s\n' "whole application" "brotli $total_br"
