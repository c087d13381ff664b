// The server's test clock (`/__test/clock`, rule R-T1), read by every expiry:
// moved forward by a test, put back to real time after it.
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';

/** Moves the server's clock forward by `seconds`. */
export async function moveClock(request: APIRequestContext, seconds: number): Promise<APIResponse> {
  return request.post('/__test/clock', { data: { advance_seconds: seconds } });
}

/** Moves the server's clock forward, checks it moved, and returns its time. */
export async function advanceClock(request: APIRequestContext, seconds: number): Promise<number> {
  const response = await moveClock(request, seconds);
  expect(response.status()).toBe(200);
  return Date.parse((await response.json()).now);
}

/** The server's time now (the test clock may be ahead of the real one). */
export async function serverNow(request: APIRequestContext): Promise<number> {
  return advanceClock(request, 0);
}

/** Puts the server's clock back to real time (for `test.afterEach`). */
export async function resetClock(request: APIRequestContext): Promise<void> {
  await request.delete('/__test/clock');
}
