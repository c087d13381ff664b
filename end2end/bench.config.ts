// `make bench` (scripts/bench.sh): the served product measured, not tested.
// scripts/bench.sh starts the release server itself (it needs its process
// for the memory figures) and passes its address in PORTAL_E2E_URL.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  webServer: undefined,
  timeout: 15 * 60_000,
  globalTimeout: 20 * 60_000,
});
