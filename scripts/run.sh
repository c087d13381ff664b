#!/usr/bin/env bash
# Builds and serves the portal on http://127.0.0.1:3000 with the embedded
# defaults: SQLite database and file mailbox under ./data, no configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# --split: the pages are lazy routes, one WASM chunk each (app/src/routes.rs).
exec cargo leptos serve --split "$@"
