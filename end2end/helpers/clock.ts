// The server's test clock (`/__test/clock`, rule R-T1), read by every expiry.
import { expect, type APIRequestContext } from '@playwright/test';

/** Moves the server's clock forward (rule R-T1) and returns its time. */
export async function advanceClock(request: APIRequestContext, seconds: number): Promise<number> {
  const response = await request.post('/__test/clock', { data: { advance_seconds: seconds } });
  expect(response.status()).toBe(200);
  return Date.parse((await response.json()).now);
}

/** The server's time now (the test clock may be ahead of the real one). */
export async function serverNow(request: APIRequestContext): Promise<number> {
  return advanceClock(request, 0);
}
