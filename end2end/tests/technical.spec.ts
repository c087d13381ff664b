import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { EN, newAddress, userInOwnContext } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { mailCount, nextMail } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated } from '../helpers/pages';
import { createForeignStructure } from '../helpers/structures';

// Rules T1–T3 (issue 17): the primary manager creates the structure's
// technical account on *Compte technique*, reads its password once and
// exports it, resets it on both screens of the seeds (a proposal that only
// *Soumettre* puts in force; the structure's page after *Confirmer*),
// deactivates and reactivates it; a manager who is not primary sees it and
// is refused, in English, in the accessibility mode.

test.describe.configure({ timeout: 120_000 });

const SUBJECT = 'Réinitialisation du mot de passe du compte utilisateur technique';

/** The password shown on the page (once), once it is none of `before`. */
async function shownPassword(page: Page, before: string[] = []): Promise<string> {
  const shown = page.locator('#mot-de-passe-technique');
  await expect(shown).toHaveText(/^[A-Za-z0-9._~-]{32}$/);
  for (const old of before) await expect(shown).not.toHaveText(old);
  return (await shown.textContent()) ?? '';
}

test('the primary manager creates, exports, resets, deactivates and reactivates the technical account', async ({ browser }) => {
  const identifier = `TECH-${Date.now()}`;
  const name = 'TECHNIQUE EXEMPLE LTD';
  const login = `TECH_${identifier}@facturo.example.fr`;
  const a = await userInOwnContext(browser, newAddress('tech-a'), { lastName: 'Martin', firstName: 'Alice' });
  await createForeignStructure(a.page, identifier, name);

  // Home → *Raccordements* → *Compte technique*, as seed 004 shows.
  await openHydrated(a.page, '/');
  await a.page.getByRole('link', { name: 'Accéder au domaine Raccordements' }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Raccordements');
  await a.page.getByRole('link', { name: 'Accéder à l’application Compte technique' }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Compte technique');
  await expect(a.page.getByText('Gestion du compte technique nécessaire pour les appels en mode API.')).toBeVisible();
  await expect(a.page.getByText('le compte technique ne sert que pour les services API')).toBeVisible();
  await expect(a.page.getByRole('link', { name: 'Documentation de l’API (OpenAPI)' })).toHaveAttribute('href', '/cpro/openapi.json');
  const kind = a.page.getByLabel('Type de demande');
  await expect(kind.locator('option')).toHaveText(['-- Aucun --', 'Activer un compte technique',
    'Changer l’email du contact d’un compte technique', 'Création d’un compte technique',
    'Désactiver un compte technique', 'Réinitialisation du mot de passe d’un compte technique']);

  // Created: active, its password shown once, the list filled in.
  await kind.selectOption({ label: 'Création d’un compte technique' });
  await a.page.getByLabel('Structure').selectOption({ label: `${identifier} - ${name}` });
  await expect(a.page.getByText('Cette structure n’a pas encore de compte technique.')).toBeVisible();
  await a.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(a.page.getByRole('status')).toHaveText(`Le compte technique ${login} est créé et actif.`);
  const first = await shownPassword(a.page);
  const row = a.page.getByRole('table', { name: 'Liste des comptes techniques' }).getByRole('row').nth(1);
  await expect(row.getByRole('rowheader')).toHaveText(login);
  await expect(row).toContainText('ACTIF');
  await expect(row).toContainText(a.address);
  await expect(row).toContainText(`${identifier} ${name}`);
  await expectNoAxeViolations(a.page, 'technical account created');

  // *Exporter les informations de connexion*: a file with the login and password.
  const download = a.page.waitForEvent('download');
  await a.page.getByRole('link', { name: 'Exporter les informations de connexion' }).click();
  const file = readFileSync(await (await download).path(), 'utf-8');
  expect(file).toContain(`Compte technique : ${login}`);
  expect(file).toContain(`Mot de passe : ${first}`);

  // An API client for the structure's software: its secret shown once.
  await a.page.getByRole('button', { name: 'Créer un client de l’API' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'Le client de l’API est créé.' })).toBeVisible();
  const clientId = (await a.page.locator('#client-id').textContent()) ?? '';
  const secret = (await a.page.locator('#client-secret').textContent()) ?? '';
  expect(clientId).toMatch(/^[A-Za-z0-9._~-]{32}$/);
  const clients = a.page.getByRole('table', { name: 'Clients de l’API' });
  await expect(clients.getByRole('row').filter({ hasText: clientId })).toContainText('Jamais');
  // The API takes the client's token and the technical password.
  const bought = await a.request.post('/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'openid' },
  });
  expect(bought.status()).toBe(200);
  const token = (await bought.json()).access_token;
  const structureId = await structureIdOf(a.page, identifier);
  const consult = (password: string) => a.request.post('/cpro/structures/v1/consulter', {
    headers: { Authorization: `Bearer ${token}`, 'cpro-account': Buffer.from(`${login}:${password}`).toString('base64') },
    data: { idStructureCPP: structureId },
  });
  expect((await consult(first)).status()).toBe(200);

  // Reset, first screen: the new password before *Soumettre*, and the warnings.
  const mailsBefore = await mailCount(a.request, a.address, SUBJECT);
  await kind.selectOption({ label: 'Réinitialisation du mot de passe d’un compte technique' });
  const proposed = await shownPassword(a.page, [first]);
  await expect(a.page.getByText('vous devez copier ou noter ce mot de passe avant de cliquer sur le bouton Soumettre')).toBeVisible();
  await expect(a.page.getByText('le mot de passe ne sera pas modifié')).toBeVisible();
  expect(await mailCount(a.request, a.address, SUBJECT)).toBe(mailsBefore);
  // Not yet in force: the API still takes the old password.
  expect((await consult(first)).status()).toBe(200);
  expect((await consult(proposed)).status()).toBe(401);
  await a.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'Le nouveau mot de passe est en vigueur' })).toBeVisible();
  // In force: the old password is refused at once, the new one taken.
  const refused = await consult(first);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).codeRetour).toBe(4);
  expect((await consult(proposed)).status()).toBe(200);
  await expect(a.page.getByRole('button', { name: 'Soumettre' })).toBeHidden();
  const told = await nextMail(a.request, a.address, SUBJECT, mailsBefore);
  expect(told.text).toContain(login);
  expect(told.text).not.toContain(proposed);
  // Submitting a password the server did not propose changes nothing.
  const forged = await callServerFunction(a.request, 'technical-submit', {
    structure_id: await structureIdOf(a.page, identifier), password: 'Aa1-'.repeat(8),
  });
  expect(forged.status()).toBe(409);

  // Deactivated, then active again: the API says why it refuses meanwhile.
  await kind.selectOption({ label: 'Désactiver un compte technique' });
  await a.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'Le compte technique est désactivé' })).toBeVisible();
  await expect(row).toContainText('INACTIF');
  const deactivated = await consult(proposed);
  expect(deactivated.status()).toBe(403);
  expect((await deactivated.json()).libelle).toContain('désactivé');
  await kind.selectOption({ label: 'Activer un compte technique' });
  await a.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'Le compte technique est activé.' })).toBeVisible();
  await expect(row.getByRole('cell').first()).toHaveText('ACTIF');
  expect((await consult(proposed)).status()).toBe(200);

  // The client revoked: its token stops at once.
  a.page.once('dialog', (dialog) => dialog.accept());
  await a.page.getByRole('button', { name: `Révoquer le client ${clientId}` }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'Le client de l’API est révoqué' })).toBeVisible();
  await expect(clients.getByRole('row').filter({ hasText: clientId })).toContainText('Révoqué le');
  const revoked = await consult(proposed);
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).codeRetour).toBe(2);

  // The contact is the primary manager's: the page says how to change it.
  await kind.selectOption({ label: 'Changer l’email du contact d’un compte technique' });
  const rule = a.page.getByRole('note').filter({ hasText: 'adresse de contact du gestionnaire principal' });
  await expect(rule).toContainText(a.address);
  await expect(rule.getByRole('link', { name: 'Mon compte', exact: true })).toHaveAttribute('href', '/mon-compte');
  await expect(a.page.getByRole('button', { name: 'Soumettre' })).toBeHidden();

  // Reset, second screen: the structure's page, a dialog, *Confirmer*.
  await openHydrated(a.page, `/structures/${await structureIdOf(a.page, identifier)}`);
  await expect(a.page.getByText(`Utilisateur technique : ${login} (ACTIF)`)).toBeVisible();
  await expect(a.page.getByText(/^Expiration du mot de passe de l’utilisateur technique : \d\d\/\d\d\/\d{4}$/)).toBeVisible();
  const reset = a.page.getByRole('button', { name: 'Réinitialiser le mot de passe (utilisateur technique)' });
  const dialog = a.page.getByRole('dialog');
  await reset.click();
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(a.page, 'the reset dialog');
  // Escape, from the keyboard, leaves everything as it was.
  await a.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await reset.focus();
  await a.page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  const mailsThen = await mailCount(a.request, a.address, SUBJECT);
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(dialog).toBeHidden();
  await expect(a.page.getByRole('status').filter({ hasText: 'Le nouveau mot de passe est en vigueur' })).toBeVisible();
  await shownPassword(a.page, [first, proposed]);
  await nextMail(a.request, a.address, SUBJECT, mailsThen);
  await a.close();
});

test('a manager who is not the primary manager sees the technical account and is refused', async ({ browser }) => {
  const identifier = `TECHB-${Date.now()}`;
  const name = 'TECHNIQUE SECOND LTD';
  const a = await userInOwnContext(browser, newAddress('techb-a'), { lastName: 'Martin', firstName: 'Alice' });
  await createForeignStructure(a.page, identifier, name);
  const b = await userInOwnContext(browser, newAddress('techb-b'), { lastName: 'Durand', firstName: 'Élodie' }, EN,
    { language: 'en', accessibility: true });
  const structureId = await structureIdOf(a.page, identifier);
  expect((await callServerFunction(b.request, 'request-attachment', { structure_id: structureId, comment: 'Comptable' })).status()).toBe(200);
  const pending = await (await callServerFunction(a.request, 'pending-requests', { page: 0 })).json();
  expect((await callServerFunction(a.request, 'decide-request', { request_id: pending.rows[0].id, approve: true, reason: '' })).status()).toBe(200);
  expect((await callServerFunction(a.request, 'technical-create', { structure_id: structureId })).status()).toBe(200);
  // A makes B a manager: *Organisation* in modification.
  await openHydrated(a.page, `/structures/${structureId}`);
  await a.page.getByRole('link', { name: 'Habilitations de Élodie Durand' }).click();
  await a.page.getByLabel('Organisation', { exact: true }).selectOption('modification');
  await a.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(a.page.getByRole('status')).toContainText('Habilitations enregistrées');

  // B sees the technical user on the structure's page, without the reset.
  await openHydrated(b.page, `/structures/${structureId}`);
  await expect(b.page.getByText(`Technical user : TECH_${identifier}@facturo.example.fr (ACTIVE)`)).toBeVisible();
  await expect(b.page.getByRole('button', { name: 'Reset the password (technical user)' })).toHaveCount(0);

  // On *Technical account*, B is told who may act, and refused.
  await b.page.getByRole('link', { name: 'Manage the technical account' }).click();
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Technical account');
  await expect(b.page.getByLabel('Structure')).toHaveValue(String(structureId));
  await expect(b.page.getByRole('note').filter({ hasText: 'Only the structure’s primary manager' })).toBeVisible();
  await b.page.getByLabel('Request type').selectOption({ label: 'Deactivate a technical account' });
  await b.page.getByRole('button', { name: 'Submit' }).click();
  await expect(b.page.getByRole('alert')).toHaveText('Only the structure’s primary manager may act on its technical account.');
  await expect(b.page.getByRole('table', { name: 'Technical accounts' })).toContainText('ACTIVE');
  await b.page.getByLabel('Request type').selectOption({ label: 'Reset the password of a technical account' });
  await expect(b.page.getByRole('alert')).toHaveText('Only the structure’s primary manager may act on its technical account.');
  await expect(b.page.locator('#mot-de-passe-technique')).toHaveCount(0);
  await expectNoAxeViolations(b.page, 'technical account refused, accessibility mode');
  // A script gets no further: 403, nothing changed.
  for (const endpoint of ['technical-reset', 'technical-propose', 'technical-create']) {
    expect((await callServerFunction(b.request, endpoint, { structure_id: structureId })).status(), endpoint).toBe(403);
  }
  // A stranger learns nothing of the structure.
  const c = await userInOwnContext(browser, newAddress('techb-c'));
  expect((await callServerFunction(c.request, 'technical-account', { structure_id: structureId })).status()).toBe(404);
  await Promise.all([a.close(), b.close(), c.close()]);
});

/** The id of the caller's structure `identifier`, read from *Mes structures*. */
async function structureIdOf(page: Page, identifier: string): Promise<number> {
  const found = await (await callServerFunction(page.context().request, 'my-structures', { page: 0, per_page: 50 })).json();
  return found.rows.find((row: { identifier: string }) => row.identifier === identifier).id;
}
