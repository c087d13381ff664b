// A minute under load without a panic or a server error (issue 16): Debian's
// `wrk` drives every page and every read-only server function of the portal
// (end2end/load/portal.lua) from 64 connections for 60 s, half of them
// anonymous and half logged in, against the release server of the suite.
// Asserted: no 5xx answer, no dropped or refused connection, no timeout, and
// the server's panic count (test support) unchanged. Times are not asserted
// here: `make bench` measures them.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { loggedInAccount, newAddress } from '../helpers/accounts';
import { cookieHeader, runWrk, type WrkResult } from '../helpers/wrk';

const SECONDS = 60;
const CONNECTIONS_EACH = 32;

/** wrk with the portal's script, `connections` of them for a minute. */
function wrk(baseURL: string, env: Record<string, string>): Promise<WrkResult> {
  return runWrk<WrkResult>(baseURL, 'portal.lua', { connections: CONNECTIONS_EACH, seconds: SECONDS, env });
}

async function panicsSeen(request: APIRequestContext): Promise<number> {
  const response = await request.get('/__test/panics');
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { panics: number }).panics;
}

test('a minute from 64 connections: no panic, no server error, no dropped connection', async ({ page, request, baseURL }) => {
  test.setTimeout((SECONDS + 90) * 1000);
  await loggedInAccount(page, request, newAddress('charge'));
  const cookie = await cookieHeader(page.context());
  // The hashed static files the home page links to.
  const home = await (await request.get('/')).text();
  const statics = [...home.matchAll(/href="(\/pkg\/[^"]+\.(?:css|js|wasm))"/g)].map((m) => m[1]);
  expect(statics.length).toBeGreaterThan(0);

  const before = await panicsSeen(request);
  const [anonymous, loggedIn] = await Promise.all([
    wrk(baseURL!, { PORTAL_LOAD_COOKIE: '', PORTAL_LOAD_STATIC: statics.join(' ') }),
    wrk(baseURL!, { PORTAL_LOAD_COOKIE: cookie, PORTAL_LOAD_STATIC: statics.join(' ') }),
  ]);
  console.log(`anonymous: ${JSON.stringify(anonymous)}\nlogged in: ${JSON.stringify(loggedIn)}`);

  for (const [who, result] of [['anonymous', anonymous], ['logged in', loggedIn]] as const) {
    expect(result.requests, `${who}: requests`).toBeGreaterThan(1000);
    expect(result.server_errors, `${who}: 5xx answers`).toBe(0);
    expect(result.connect_errors + result.read_errors + result.write_errors, `${who}: socket errors`).toBe(0);
    expect(result.timeouts, `${who}: timeouts`).toBe(0);
  }
  expect(await panicsSeen(request), 'panics during the load').toBe(before);

  // The session was used all along and still works.
  await page.goto('/mes-structures');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
