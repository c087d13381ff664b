import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

// The suites run against what users get: the release build of `make release`
// (server binary, split and precompressed WASM with hashed names), started
// here with test support on, a fresh data folder (so a fresh SQLite database
// and mailbox) and its own port.
const port = Number(process.env.PORTAL_E2E_PORT ?? 3999);
const baseURL = process.env.PORTAL_E2E_URL ?? `http://localhost:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-'));

export default defineConfig({
  testDir: './tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The server's clock is shared by every test (rule R-T1): one worker.
  workers: 1,
  reporter: [['list']],
  timeout: 30_000,
  // A hung run fails instead of using up CI's time (the suites take ~8 min).
  globalTimeout: 25 * 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    locale: 'en-US', // the portal must stay French whatever the browser asks
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: process.env.PORTAL_E2E_URL
    ? undefined
    : {
        command: 'target/release/server',
        cwd: '..',
        url: `http://127.0.0.1:${port}/healthz`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          LEPTOS_OUTPUT_NAME: 'portal',
          LEPTOS_SITE_ROOT: 'target/site',
          LEPTOS_SITE_PKG_DIR: 'pkg',
          // Names carry their content's hash; target/release/hash.txt lists them.
          LEPTOS_HASH_FILES: 'true',
          LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
          LEPTOS_RELOAD_PORT: String(port + 1),
          PORTAL_TEST_SUPPORT: '1',
          // The Support account of attachments.spec.ts (rule S10).
          PORTAL_SUPPORT__LOGINS: '["support-e2e@example.fr","support-desk-e2e@example.fr","support-admin-e2e@example.fr"]',
          PORTAL_STORAGE__DATA_DIR: dataDir,
          PORTAL_SITE__PUBLIC_URL: baseURL,
          // The weekly summary's look (rule P2) every second, so that moving
          // the clock a week forward brings the summary at once.
          PORTAL_NOTIFICATIONS__SUMMARY_INTERVAL_SECONDS: '1',
          RUST_LOG: 'warn',
        },
      },
});
