// Calls to the portal's server functions (`/api/…`) made directly, as a
// script would, to check that the server refuses what the page would not offer.
import { type APIRequestContext, type APIResponse } from '@playwright/test';

/** Posts `form` to the server function `endpoint`, asking for JSON. */
export async function callServerFunction(
  request: APIRequestContext, endpoint: string, form: Record<string, string | number | boolean>,
): Promise<APIResponse> {
  return request.post(`/api/${endpoint}`, { form, headers: { Accept: 'application/json' } });
}
