#!/usr/bin/env bash
# `make bench`: the served product measured (issue 16), on the release build.
#
#   1. the browser side and HTTP (end2end/bench/served.bench.ts): WASM + JS
#      of a first page and of the whole application, time to interactive on
#      localhost and on a phone's network, requests/s and p50/p99 per page
#      kind from 32 connections (Debian's wrk), the server's resident memory
#      idle and after that load. This script starts the release server (on a
#      fresh data folder, port 3990) so that the bench can read its memory;
#      the API's rate limit is lifted there, so that its calls/s (issue 17:
#      `consulter` from 32 clients) measure the server, not the limit.
#   2. logins: the password step from 32 clients (server/benches/login.rs,
#      release build), against the bound measured in the same run: as many
#      cores as the machine has, each doing one warm argon2id hash of the
#      reference C library (Debian's python3-argon2, i.e. argon2-cffi over
#      libargon2) at Leptos.toml's cost.
#
# The table lands in target/bench/ and on the standard output; the README
# keeps the last figures with the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/release.sh >/dev/null
# Debian's python3 (a pyenv or venv python on the PATH would not see it).
if ! /usr/bin/python3 -c 'import argon2' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-argon2
fi
mkdir -p target/bench

port=3990
data=$(mktemp -d)
LEPTOS_OUTPUT_NAME=portal LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR=127.0.0.1:$port PORTAL_TEST_SUPPORT=1 \
PORTAL_TECHNICAL__API_CALLS_PER_SECOND=1000000 \
PORTAL_STORAGE__DATA_DIR="$data" PORTAL_SITE__PUBLIC_URL=http://127.0.0.1:$port RUST_LOG=warn \
  target/release/server 2>target/bench/server.log &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done

printf '\n== the served product (release build, SQLite, %s cores)\n' "$(nproc)"
(cd end2end && PORTAL_E2E_URL="http://127.0.0.1:$port" PORTAL_BENCH_PID=$server \
  npx playwright test --config bench.config.ts --reporter=line)
panics=$(grep -c 'panicked at' target/bench/server.log || true)
printf 'panics in the server log: %s\n' "$panics"

printf '\n== logins (password step, 32 clients) and their bound\n'
cargo bench -q -p server --features ssr --bench login | tee target/bench/login.txt
/usr/bin/python3 - <<'PY' | tee -a target/bench/login.txt
import os, re, time, tomllib
from argon2.low_level import Type, hash_secret_raw
security = tomllib.load(open("Leptos.toml", "rb"))["security"]
args = dict(time_cost=security["argon2_iterations"], memory_cost=security["argon2_memory_kib"],
            parallelism=security["argon2_parallelism"], hash_len=32, type=Type.ID)
hash_secret_raw(b"Abcdefgh1!xy", b"saltsaltsaltsalt", **args)  # warm
runs = 20
start = time.perf_counter()
for _ in range(runs):
    hash_secret_raw(b"Abcdefgh1!xy", b"saltsaltsaltsalt", **args)
one = (time.perf_counter() - start) / runs
cores = os.cpu_count()
bound = cores / one
logins = float(re.search(r"= ([0-9.]+) logins/s", open("target/bench/login.txt").read()).group(1))
print(f"reference argon2id (libargon2): {one * 1000:.1f} ms a hash; bound {cores} cores / hash = {bound:.1f} logins/s")
print(f"logins/s : bound = {logins / bound:.2f} (target >= 0.9)")
PY
