// The served product measured as its users meet it (issue 16), for the
// README's table: the WASM and JS a first page downloads, time to
// interactive on localhost and on a phone's network, requests/s and
// latency per page kind at 32 connections, and the server's resident memory
// idle and after that load. Prints a Markdown table and writes it to
// target/bench/served.md. Run through `make bench`, which starts the server.
import { expect, test, type Browser } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loggedInAccount, newAddress } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { allCode, codeRequestedBy, sizesOf, total } from '../helpers/code';
import { addService, createStructure } from '../helpers/structures';
import { cookieHeader, runWrk } from '../helpers/wrk';

/** Lighthouse's mobile network: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
const PHONE = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const RUNS = 3;
const WRK_SECONDS = 10;
const CONNECTIONS = 32;

function residentMiB(): number {
  const pid = process.env.PORTAL_BENCH_PID;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds from navigation to `<html data-hydrated>`, cold cache. */
async function timeToInteractive(browser: Browser, url: string, phone: boolean): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (phone) await cdp.send('Network.emulateNetworkConditions', PHONE);
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'), null, {
    timeout: 60_000,
    polling: 10,
  });
  const ms = await page.evaluate(() => performance.now());
  await context.close();
  return ms;
}

type Wrk = { requests: number; rps: number; p50_ms: number; p99_ms: number; server_errors: number; socket_errors: number };

function wrk(baseURL: string, env: Record<string, string>): Promise<Wrk> {
  return runWrk<Wrk>(baseURL, 'one.lua', { connections: CONNECTIONS, seconds: WRK_SECONDS, env });
}

test('the served product', async ({ browser, page, request, baseURL }) => {
  expect(process.env.PORTAL_BENCH_PID, 'started by scripts/bench.sh').toBeTruthy();
  const rows: string[] = ['| Measure | Value | Target |', '|---|---|---|'];
  const row = (what: string, value: string, target = '') => rows.push(`| ${what} | ${value} | ${target} |`);
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

  row('Resident memory, idle', `${residentMiB().toFixed(1)} MiB`, '≤ 50 MiB');

  for (const url of ['/', '/connexion']) {
    const context = await browser.newContext();
    const sizes = total((await codeRequestedBy(await context.newPage(), url)).map(sizesOf));
    await context.close();
    row(`First page ${url}: WASM + JS`, `${kb(sizes.raw)} raw, ${kb(sizes.gzip)} gzip, ${kb(sizes.brotli)} brotli`, '≤ 250 KB brotli');
  }
  const files = allCode();
  const whole = total(files.map(sizesOf));
  row(`Whole application (${files.length} files)`, `${kb(whole.raw)} raw, ${kb(whole.gzip)} gzip, ${kb(whole.brotli)} brotli`, '≤ 900 KB brotli');

  for (const url of ['/', '/connexion']) {
    for (const phone of [false, true]) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await timeToInteractive(browser, url, phone));
      row(
        `Interactive ${url}, ${phone ? 'phone network' : 'localhost'} (median of ${RUNS}, cold)`,
        `${(median(times) / 1000).toFixed(2)} s`,
        phone ? '≤ 2.5 s' : '',
      );
    }
  }

  await loggedInAccount(page, request, newAddress('banc'));
  // *Mes structures* is measured as a manager sees it: two structures, one
  // with services (three queries a page whatever its size; an empty list
  // would skip the work).
  await createStructure(page, '90100008300013', 'INFORMATIQUE ET FACTURES');
  await addService(page, 'INFORMATIQUE ET FACTURES', 'ACHATS', 'Service achats');
  await addService(page, 'INFORMATIQUE ET FACTURES', 'VENTES', 'Service ventes');
  await createStructure(page, '90100001800019', 'ATELIER DES LILAS');
  const cookie = await cookieHeader(page.context());
  // The API (issue 17): the structure's technical account and a client,
  // then `consulter` as accounting software calls it.
  const session = page.context().request;
  const structures = await (await callServerFunction(session, 'my-structures', { page: 0, per_page: 50 })).json();
  const structureId = structures.rows.find((r: { identifier: string }) => r.identifier === '90100008300013').id;
  const technical = await (await callServerFunction(session, 'technical-create', { structure_id: structureId })).json();
  const client = await (await callServerFunction(session, 'api-client-create', { structure_id: structureId })).json();
  const token = (await (await request.post('/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.secret },
  })).json()).access_token;
  const api = {
    PORTAL_LOAD_PATH: '/cpro/structures/v1/consulter', PORTAL_LOAD_METHOD: 'POST',
    PORTAL_LOAD_BODY: JSON.stringify({ idStructureCPP: structureId }), PORTAL_LOAD_CONTENT_TYPE: 'application/json',
    PORTAL_LOAD_AUTHORIZATION: `Bearer ${token}`,
    PORTAL_LOAD_CPRO_ACCOUNT: Buffer.from(`${technical.login}:${technical.password}`).toString('base64'),
  };
  const home = await (await request.get('/')).text();
  const stylesheet = /href="(\/pkg\/[^"]+\.css)"/.exec(home)?.[1];
  expect(stylesheet).toBeTruthy();
  const kinds: [string, Record<string, string>, string][] = [
    ['Static file (stylesheet)', { PORTAL_LOAD_PATH: stylesheet! }, '≥ 15 000 req/s'],
    ['Home page', { PORTAL_LOAD_PATH: '/' }, 'p99 ≤ 10 ms'],
    ['*Mes structures*, logged in', { PORTAL_LOAD_PATH: '/mes-structures', PORTAL_LOAD_COOKIE: cookie }, 'p99 ≤ 10 ms'],
    ['Server function `me`, logged in', { PORTAL_LOAD_PATH: '/api/me', PORTAL_LOAD_METHOD: 'POST', PORTAL_LOAD_BODY: '', PORTAL_LOAD_COOKIE: cookie }, ''],
    ['API `consulter`, technical account', api, '≥ 2 000 calls/s'],
  ];
  for (const [what, env, target] of kinds) {
    const r = await wrk(baseURL!, env);
    expect(r.server_errors + r.socket_errors, what).toBe(0);
    // Every call answered for real (no 401, no 429 counted as speed).
    if (env === api) expect(r.non_2xx_3xx, what).toBe(0);
    row(`${what}, ${CONNECTIONS} connections`, `${Math.round(r.rps)} req/s, p50 ${r.p50_ms.toFixed(2)} ms, p99 ${r.p99_ms.toFixed(2)} ms`, target);
  }
  row('Resident memory after the load', `${residentMiB().toFixed(1)} MiB`, '≤ 200 MiB');

  const table = rows.join('\n') + '\n';
  console.log('\n' + table);
  const out = path.join(__dirname, '..', '..', 'target', 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'served.md'), table);
});
