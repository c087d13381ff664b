// Debian's `wrk`, driven with one of the portal's Lua scripts
// (end2end/load/), for the load test and the benchmark. Each script prints
// one line of JSON at the end, which is returned parsed.
import { type BrowserContext } from '@playwright/test';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** What `end2end/load/report.lua` prints at the end of a run. */
export type WrkResult = {
  requests: number;
  server_errors: number;
  client_errors: number;
  connect_errors: number;
  read_errors: number;
  write_errors: number;
  timeouts: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
};

/** Runs `wrk` with `end2end/load/<script>` against `baseURL`. */
export function runWrk<T>(
  baseURL: string,
  script: string,
  options: { connections: number; seconds: number; env: Record<string, string> },
): Promise<T> {
  const args = [
    '-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s',
    '-s', path.join(__dirname, '..', 'load', script), baseURL,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, ...options.env } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`wrk exited with ${code}:\n${out}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

/** The context's cookies as one `Cookie` header (a logged-in session for wrk). */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}
