import { expect, test } from '@playwright/test';
import { callServerFunction } from '../helpers/api';

// Rule R-T1: the server under test runs with PORTAL_TEST_SUPPORT=1.
test.describe('test support', () => {
  test('the mailbox answers a JSON list and can be emptied', async ({ request }) => {
    expect((await request.delete('/__test/mailbox')).status()).toBe(204);
    const response = await request.get('/__test/mailbox');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/json');
    expect(await response.json()).toEqual([]);
  });

  test('the clock moves forward and back to real time', async ({ request }) => {
    const before = Date.now();
    const advanced = await request.post('/__test/clock', { data: { advance_seconds: 3600 } });
    expect(advanced.status()).toBe(200);
    const { now } = await advanced.json();
    expect(Date.parse(now) - before).toBeGreaterThanOrEqual(3600 * 1000 - 5000);

    const reset = await request.delete('/__test/clock');
    expect(reset.status()).toBe(200);
    expect(Math.abs(Date.parse((await reset.json()).now) - Date.now())).toBeLessThan(60_000);
  });

  test('bad clock requests are refused as client errors', async ({ request }) => {
    for (const data of [{ advance_seconds: -5 }, { advance_seconds: 'soon' }, {}]) {
      const response = await request.post('/__test/clock', { data });
      expect(response.status(), JSON.stringify(data)).toBeGreaterThanOrEqual(400);
      expect(response.status(), JSON.stringify(data)).toBeLessThan(500);
    }
  });
});

test.describe('server functions', () => {
  test('refuse bad preference values with a client error and change nothing', async ({ request }) => {
    const response = await callServerFunction(request, 'preferences', { language: 'de' });
    expect(response.status()).toBe(400);
    expect(await response.json()).toEqual({ InvalidInput: { field: 'language' } });
    expect(response.headers()['set-cookie']).toBeUndefined();
  });
});
