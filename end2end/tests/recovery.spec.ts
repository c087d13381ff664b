import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { FR, enterCode, enterPassword, logOut, loggedInAccount, newAddress } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { resetClock, serverNow } from '../helpers/clock';
import { FactorsPage, appCode } from '../helpers/factors';
import { codeIn, mailCount, nextMail } from '../helpers/mailbox';
import { expectNoAxeViolations } from '../helpers/pages';

// Recovery codes and refusing the e-mailed code (security review, item 2):
// whoever controls the mailbox must not pass the second factor of a user
// who has an app or a key and chose so.

test.afterEach(({ request }) => resetClock(request));

const NOTICE = 'Modification de vos facteurs d’authentification';
const LOGIN_NOTICE = 'Connexion à votre compte';

/** A logged-in account with an authenticator app, on its factors page. */
async function accountWithApp(page: Page, request: APIRequestContext, tag: string) {
  const address = newAddress(tag);
  await loggedInAccount(page, request, address);
  const factors = new FactorsPage(page);
  await factors.open();
  const secret = await factors.startApp();
  await factors.confirmApp(appCode(secret, await serverNow(request)), 'Téléphone');
  await expect(factors.status('L’application a été ajoutée.')).toBeVisible();
  // Its notice is delivered before the next ones are counted.
  await nextMail(request, address, NOTICE, 0);
  return { address, factors };
}

/** *Générer des codes de secours*: the ten codes shown once. */
async function drawCodes(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: /^Générer (des|de nouveaux) codes de secours$/ }).click();
  const list = page.getByRole('list', { name: 'Vos codes de secours' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  return list.getByRole('listitem').allInnerTexts();
}

/** At the login's second step: *Se connecter d'une autre façon* → recovery code. */
async function useRecoveryCode(page: Page, code: string) {
  await page.getByRole('button', { name: 'Se connecter d’une autre façon' }).click();
  await page.getByRole('button', { name: 'Utiliser un code de secours' }).click();
  await page.getByLabel('Code de secours', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Valider le code de secours' }).click();
}

test('recovery codes: drawn once, a login with one, a used one refused', async ({ page, request }) => {
  const { address } = await accountWithApp(page, request, 'secours');
  const before = await mailCount(request, address, NOTICE);
  const codes = await drawCodes(page);
  for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  expect(new Set(codes).size).toBe(10);
  await expect(page.getByRole('link', { name: 'Télécharger les codes (fichier texte)' })).toHaveAttribute('download', /\.txt$/);
  await expect(page.getByText('Codes de secours non utilisés : 10')).toBeVisible();
  expect((await nextMail(request, address, NOTICE, before)).text).toContain('nouveaux codes de secours');
  await expectNoAxeViolations(page, 'factors page with recovery codes shown');

  await logOut(page);
  await enterPassword(page, address);
  await expect(page.getByRole('heading', { name: 'Code de l’application d’authentification' })).toBeVisible();
  await useRecoveryCode(page, codes[0].toLowerCase());
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  expect((await nextMail(request, address, LOGIN_NOTICE, 0)).text).toContain('Il vous en reste 9');

  await logOut(page);
  await enterPassword(page, address);
  await useRecoveryCode(page, codes[0]);
  await expect(page.getByRole('alert')).toHaveText('Ce code est incorrect.');
  await page.getByLabel('Code de secours', { exact: true }).fill(codes[1]);
  await page.getByRole('button', { name: 'Valider le code de secours' }).click();
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
});

test('refusing the e-mailed code: not offered, not sent, and a fallback login is told otherwise', async ({ page, request }) => {
  const { address, factors } = await accountWithApp(page, request, 'strict');
  // Without recovery codes the setting is not offered.
  await expect(page.getByRole('button', { name: 'Ne plus accepter le code reçu par e-mail' })).toHaveCount(0);
  const codes = await drawCodes(page);
  await page.getByRole('button', { name: 'Ne plus accepter le code reçu par e-mail' }).click();
  await expect(factors.status('Le code reçu par e-mail n’est plus accepté.')).toBeVisible();

  await logOut(page);
  await enterPassword(page, address);
  await page.getByRole('button', { name: 'Se connecter d’une autre façon' }).click();
  await expect(page.getByRole('button', { name: 'Utiliser un code de secours' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Recevoir un code sur ma messagerie' })).toHaveCount(0);
  // A script asking anyway is refused by the server.
  const sent = await mailCount(request, address, FR.codeSubject);
  const asked = await callServerFunction(page.request, 'resend-code', {});
  expect(asked.status()).toBe(403);
  expect(await mailCount(request, address, FR.codeSubject)).toBe(sent);

  await page.getByRole('button', { name: 'Utiliser un code de secours' }).click();
  await page.getByLabel('Code de secours', { exact: true }).fill(codes[4]);
  await page.getByRole('button', { name: 'Valider le code de secours' }).click();
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  expect((await nextMail(request, address, LOGIN_NOTICE, 0)).text).toContain('code de secours');

  // Accepted again, the e-mailed fallback works and the contact address is told.
  await factors.open();
  await page.getByRole('button', { name: 'Accepter de nouveau le code reçu par e-mail' }).click();
  await expect(factors.status('Le code reçu par e-mail est de nouveau accepté.')).toBeVisible();
  await logOut(page);
  const notices = await mailCount(request, address, LOGIN_NOTICE);
  await enterPassword(page, address);
  await page.getByRole('button', { name: 'Se connecter d’une autre façon' }).click();
  await page.getByRole('button', { name: 'Recevoir un code sur ma messagerie' }).click();
  await enterCode(page, codeIn(await nextMail(request, address, FR.codeSubject, sent)));
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  expect((await nextMail(request, address, LOGIN_NOTICE, notices)).text).toContain('code reçu par e-mail');
});
