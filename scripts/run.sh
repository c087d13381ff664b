#!/usr/bin/env bash
# Builds and serves the portal on http://127.0.0.1:3000 with the embedded
# defaults: SQLite database and file mailbox under ./data, no configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec cargo leptos serve "$@"
