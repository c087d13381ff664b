#!/usr/bin/env python3
"""Times *Mot de passe oublié ?* for a known and an unknown address (rule L4:
the answer must not tell them apart, by its words or by the clock).

Starts the built server (target/debug/server, or the path given) on a fresh
data folder and port 3998, inserts one active account with sqlite3, sends
300 alternating requests (the known address, then each time a new unknown
one) and prints the medians and 90th percentiles of curl's time_total.
Run after `cargo leptos build` (or `cargo build -p server --features ssr`).
"""
import os, statistics, subprocess, sys, tempfile, time, urllib.request

server = sys.argv[1] if len(sys.argv) > 1 else "target/debug/server"
data = tempfile.mkdtemp(prefix="portal-timing-")
env = dict(os.environ, LEPTOS_OUTPUT_NAME="portal", LEPTOS_SITE_ROOT="target/site", LEPTOS_SITE_PKG_DIR="pkg",
           LEPTOS_SITE_ADDR="127.0.0.1:3998", LEPTOS_RELOAD_PORT="3997", PORTAL_STORAGE__DATA_DIR=data, RUST_LOG="warn")
proc = subprocess.Popen([server], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(120):
        try:
            urllib.request.urlopen("http://127.0.0.1:3998/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    subprocess.run(["sqlite3", os.path.join(data, "portal.sqlite"),
                    "INSERT INTO users (login_email, contact_email, last_name, first_name, status, language, "
                    "accessibility, created_at, updated_at) VALUES ('connue@example.fr', 'connue@example.fr', "
                    "'Curie', 'Marie', 'active', 'fr', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"], check=True)

    def timed(address):
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-X", "POST",
                              "-H", "Accept: application/json", "--data", "login_email=" + address.replace("@", "%40"),
                              "http://127.0.0.1:3998/api/forgot-password"], capture_output=True, text=True).stdout.split()
        assert out[0] == "200", out
        return float(out[1]) * 1000

    known, unknown = [], []
    for i in range(300):
        known.append(timed("connue@example.fr"))
        unknown.append(timed(f"inconnue{i}@example.fr"))
    for name, times in (("known", known), ("unknown", unknown)):
        print(f"{name:8} median {statistics.median(times):.2f} ms, 90th percentile {statistics.quantiles(times, n=10)[8]:.2f} ms")
finally:
    proc.terminate()
