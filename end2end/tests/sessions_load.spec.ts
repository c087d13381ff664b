// 500 people logged in and browsing at once for a minute (issue 18, item 5):
// 500 sessions of 500 accounts (test support opens them: signing up and
// logging in 500 people through the pages would take longer than the test),
// 500 connections of Debian's `wrk` (end2end/load/sessions.lua), each asking
// for a page or a read-only server function, with the next session's cookie,
// then waiting a person's moment (one second on average).
// Asserted: no 5xx, no 4xx (every session was accepted all along), no dropped
// or refused connection, no timeout, no panic. The latencies are printed;
// `make bench` and the README keep the figures, as for issue 16's load test.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runWrk, type WrkResult } from '../helpers/wrk';

const PEOPLE = 500;
const SECONDS = 60;

test(`${PEOPLE} people browsing for a minute: no error, every session accepted`, async ({ request, baseURL }) => {
  test.setTimeout((SECONDS + 120) * 1000);
  const opened = await request.post('/__test/sessions', { data: { count: PEOPLE } });
  expect(opened.ok()).toBe(true);
  const { cookies } = (await opened.json()) as { cookies: string[] };
  expect(new Set(cookies).size).toBe(PEOPLE);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sessions-')), 'cookies.txt');
  writeFileSync(file, cookies.join('\n'));

  const panics = async () => ((await (await request.get('/__test/panics')).json()) as { panics: number }).panics;
  const before = await panics();
  const result = await runWrk<WrkResult>(baseURL!, 'sessions.lua', {
    connections: PEOPLE,
    seconds: SECONDS,
    env: { PORTAL_LOAD_COOKIE_FILE: file, PORTAL_LOAD_THINK_MS: '1000' },
  });
  console.log(`${PEOPLE} people: ${JSON.stringify(result)}`);

  // About one request a second from each person.
  expect(result.requests).toBeGreaterThan(PEOPLE * SECONDS * 0.5);
  expect(result.server_errors, '5xx answers').toBe(0);
  expect(result.client_errors, '4xx answers: a session refused').toBe(0);
  expect(result.connect_errors + result.read_errors + result.write_errors, 'socket errors').toBe(0);
  expect(result.timeouts, 'timeouts').toBe(0);
  expect(await panics(), 'panics during the load').toBe(before);
});
