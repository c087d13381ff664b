// The WASM and JS the portal sends browsers, counted as they travel: the
// paths Chromium requests for a page, and the size of the brotli copy the
// server sends for each (`make release` precompresses every file). Used by
// the budget test (tests/budgets.spec.ts) and the benchmark (bench/).
import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openHydrated } from './pages';

/** The site folder the server of the suites serves (LEPTOS_SITE_ROOT). */
export const SITE = path.join(__dirname, '..', '..', 'target', 'site');
const CODE = /\.(wasm|js)$/;

export type Sized = { file: string; raw: number; gzip: number; brotli: number };

/** The sizes of the file served at `urlPath` and of its precompressed copies. */
export function sizesOf(urlPath: string): Sized {
  const file = path.join(SITE, decodeURIComponent(urlPath));
  for (const copy of [file, `${file}.br`, `${file}.gz`]) {
    expect(fs.existsSync(copy), `${copy} exists (precompressed by make release)`).toBe(true);
  }
  const size = (f: string) => fs.statSync(f).size;
  return { file: urlPath, raw: size(file), gzip: size(`${file}.gz`), brotli: size(`${file}.br`) };
}

/** The WASM and JS paths a fresh page requests until it is hydrated and quiet. */
export async function codeRequestedBy(page: Page, url: string): Promise<string[]> {
  const requested = new Set<string>();
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (CODE.test(pathname)) requested.add(pathname);
  });
  await openHydrated(page, url);
  await page.waitForLoadState('networkidle');
  return [...requested].sort();
}

/** Every WASM and JS file of the application, as URL paths. */
export function allCode(dir = path.join(SITE, 'pkg')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return allCode(full);
    return CODE.test(entry.name) ? ['/' + path.relative(SITE, full)] : [];
  });
}

/** Sums sizes, by encoding. */
export function total(sizes: Sized[]): Omit<Sized, 'file'> {
  return sizes.reduce(
    (sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip, brotli: sum.brotli + s.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}
