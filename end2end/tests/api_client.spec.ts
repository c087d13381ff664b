import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { newAddress, userInOwnContext } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { addService, createStructure } from '../helpers/structures';

// Issue 17: client software written for the public platform's API works
// here by changing only its URLs. The Python client `chorus-api` from PyPI
// (end2end/python/requirements.txt), unmodified, in the virtual environment
// that scripts/setup.sh makes, is driven by end2end/python/chorus_client.py
// through token, health check, *rechercher* by SIRET, *consulter*,
// *rechercher/services*, *consulter/information/siret*, a refused wrong
// password, and a token bought with HTTP Basic client authentication.

test.describe.configure({ timeout: 120_000 });

const SIRET = '90100010900016';
const NAME = 'LOGICIELS COMPTABLES EXEMPLE';

test('the public platform’s Python client works against the portal unchanged', async ({ browser, baseURL }) => {
  const a = await userInOwnContext(browser, newAddress('api-python'));
  await createStructure(a.page, SIRET, NAME);
  await addService(a.page, NAME, 'FACTURES', 'Factures');
  const structures = await (await callServerFunction(a.request, 'my-structures', { page: 0, per_page: 50 })).json();
  const structureId = structures.rows.find((row: { identifier: string }) => row.identifier === SIRET).id;
  const technical = await callServerFunction(a.request, 'technical-create', { structure_id: structureId });
  expect(technical.status()).toBe(200);
  const { login, password } = await technical.json();
  const client = await callServerFunction(a.request, 'api-client-create', { structure_id: structureId });
  expect(client.status()).toBe(200);
  const { client_id: clientId, secret } = await client.json();

  const output = execFileSync('.venv/bin/python', ['python/chorus_client.py'], {
    env: {
      ...process.env,
      PORTAL_URL: baseURL ?? '',
      CLIENT_ID: clientId,
      CLIENT_SECRET: secret,
      TECH_LOGIN: login,
      TECH_PASSWORD: password,
      STRUCTURE_ID: String(structureId),
      SIRET,
      NAME,
    },
    encoding: 'utf-8',
    timeout: 60_000,
  });
  const seen = JSON.parse(output.trim().split('\n').pop() ?? '{}');
  expect(seen).toEqual({
    health: 'OK',
    found: NAME,
    read: NAME,
    city: 'PARIS',
    services: ['FACTURES'],
    siret: NAME,
    wrong_password: 401,
    basic: 200,
  });
  await a.close();
});

test('the served OpenAPI document is valid OpenAPI 3.1 and describes the API', async ({ request }) => {
  const served = await request.get('/cpro/openapi.json');
  expect(served.status()).toBe(200);
  const document = await served.json();
  expect(document.openapi).toMatch(/^3\.1\./);
  const file = path.join(test.info().outputDir, 'openapi.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(document));
  // openapi-spec-validator (PyPI) checks it against the 3.1 schema; it
  // exits non-zero, with the reasons, on any error.
  const said = execFileSync('.venv/bin/openapi-spec-validator', [file], { encoding: 'utf-8', timeout: 60_000 });
  expect(said).toContain('OK');
  expect(Object.keys(document.paths)).toContain('/cpro/structures/v1/consulter');
});
