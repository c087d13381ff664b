#!/usr/bin/env bash
# Builds what a production user deploys: `cargo leptos build --release`
# (server with `--release`, WASM with the `wasm-release` profile: size-optimised,
# LTO) and `--precompress` (brotli and gzip copies of the static files, which
# the server can send to browsers that accept them).
#
# cargo-leptos runs wasm-opt, and downloads it from GitHub when it is not on
# the PATH, which fails on machines that reach only the package registries.
# So wasm-opt comes from the npm package `binaryen` (pinned in
# end2end/package.json, installed by `scripts/setup.sh e2e`) and is put first
# on the PATH here.
#
# Output: target/release/server and target/site/ (run the server with the
# LEPTOS_* variables that `cargo leptos serve --release` would set, see
# README *The two commands*).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh e2e
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
printf '\n== wasm-opt: %s\n' "$(wasm-opt --version)"
cargo leptos build --release --precompress

printf '\n== the WASM and JS the browser downloads (bytes)\n'
for file in target/site/pkg/*.wasm target/site/pkg/*.js; do
  raw=$(stat -c %s "$file")
  gz=$( [ -f "$file.gz" ] && stat -c %s "$file.gz" || gzip -9 -c "$file" | wc -c)
  br=$( [ -f "$file.br" ] && stat -c %s "$file.br" || echo "?")
  printf '%-40s raw %9s  gzip %9s  brotli %9s\n' "$(basename "$file")" "$raw" "$gz" "$br"
done
