import { expect, test } from '@playwright/test';
import {
  EN, FR, PASSWORD, activeAccount, enterPassword, expectLoggedIn, logIn, logInWithEmailedCodeInstead, logOut,
  loggedInAccount, newAddress,
} from '../helpers/accounts';
import { advanceClock, resetClock, serverNow } from '../helpers/clock';
import { FACTORS, FactorsPage, appCode, enterAppCode, virtualKey } from '../helpers/factors';
import { nextMail } from '../helpers/mailbox';
import { DisplayTools, expectNoAxeViolations, openHydrated, setDisplay } from '../helpers/pages';

// Rules F1–F4 and L3: the page *Mes facteurs d'authentification* and the
// logins that use each factor.

test.afterEach(({ request }) => resetClock(request));

const NOTICE = 'Modification de vos facteurs d’authentification';

test('an authenticator app: add, log in with its code once, fall back to e-mail, delete', async ({ page, request }) => {
  const address = newAddress('appli');
  await loggedInAccount(page, request, address);
  const factors = new FactorsPage(page);
  await factors.open();

  const secret = await factors.startApp();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByLabel('Adresse otpauth', { exact: true })).toHaveValue(/^otpauth:\/\/totp\//);
  await factors.confirmApp(appCode(secret, await serverNow(request)), 'Téléphone pro');
  await expect(factors.status('L’application a été ajoutée.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Supprimer l’application Téléphone pro' })).toBeVisible();
  expect((await nextMail(request, address, NOTICE, 0)).text).toContain('« Téléphone pro » a été ajoutée');

  // One app per account: a second one is refused until the first is deleted.
  await page.getByRole('button', { name: 'Ajouter une application' }).click();
  await expect(page.getByRole('alert')).toContainText('Supprimez-la d’abord (icône corbeille)');

  // Login now asks for the app's code; 30 seconds later, a fresh code.
  await logOut(page);
  const later = await advanceClock(request, 30);
  await enterPassword(page, address);
  await expect(page.getByRole('heading', { name: 'Code de l’application d’authentification' })).toBeVisible();
  const code = appCode(secret, later);
  await enterAppCode(page, code);
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  await logOut(page);

  // The same code again is refused; the e-mailed code still works.
  await enterPassword(page, address);
  await enterAppCode(page, code);
  await expect(page.getByRole('alert')).toHaveText('Ce code est incorrect ou a déjà servi. Attendez le code suivant de votre application.');
  await logInWithEmailedCodeInstead(page, request, address);
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();

  // The trash icon deletes the app; login is back to the e-mailed code.
  await factors.open();
  await page.getByRole('button', { name: 'Supprimer l’application Téléphone pro' }).click();
  await expect(factors.status('L’application a été supprimée.')).toBeVisible();
  await expect(page.getByText('Aucune application enregistrée.')).toBeVisible();
  expect((await nextMail(request, address, NOTICE, 1)).text).toContain('« Téléphone pro » a été supprimée');
  await logOut(page);
  await logIn(page, request, address);
});

test('a security key: register, log in with it, another way, rename, remove after logging in again', async ({ page, request }) => {
  const address = newAddress('cle');
  await activeAccount(page, request, address);
  await virtualKey(page);
  await logIn(page, request, address);
  const factors = new FactorsPage(page);
  await factors.open();

  await factors.addKey('Clé bleue');
  await expect(factors.status('La clé de sécurité a été ajoutée.')).toBeVisible();
  const item = page.getByRole('listitem').filter({ hasText: 'Clé bleue' });
  await expect(item).toContainText('jamais utilisée');
  expect((await nextMail(request, address, NOTICE, 0)).text).toContain('« Clé bleue » a été ajoutée');

  // Login now asks for the key.
  await logOut(page);
  await enterPassword(page, address);
  await expect(page.getByRole('heading', { name: 'Clé de sécurité' })).toBeVisible();
  await page.getByRole('button', { name: 'Utiliser ma clé de sécurité' }).click();
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  await factors.open();
  await expect(page.getByRole('listitem').filter({ hasText: 'Clé bleue' })).toContainText('dernière utilisation le');

  // *Se connecter d'une autre façon* offers the e-mailed code.
  await logOut(page);
  await enterPassword(page, address);
  await logInWithEmailedCodeInstead(page, request, address);
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();

  await factors.open();
  await page.getByRole('button', { name: 'Renommer la clé Clé bleue' }).click();
  await page.getByLabel('Nouveau nom de la clé Clé bleue', { exact: true }).fill('Clé rouge');
  await page.getByRole('button', { name: 'Enregistrer le nom' }).click();
  await expect(factors.status('La clé a été renommée.')).toBeVisible();

  // Eleven minutes later the login is no longer recent: log in again, fully
  // (the password alone is not enough: the key is asked next).
  await advanceClock(request, 11 * 60);
  await factors.open();
  await page.getByRole('button', { name: 'Supprimer la clé Clé rouge' }).click();
  await factors.reauthenticate(PASSWORD);
  await expect(page.getByRole('heading', { name: 'Clé de sécurité' })).toBeVisible();
  await page.getByRole('button', { name: 'Utiliser ma clé de sécurité' }).click();
  await factors.reloaded();
  await page.getByRole('button', { name: 'Supprimer la clé Clé rouge' }).click();
  await expect(factors.status('La clé a été supprimée.')).toBeVisible();
  await expect(page.getByText('Aucune clé de sécurité enregistrée.')).toBeVisible();
  expect((await nextMail(request, address, NOTICE, 1)).text).toContain('« Clé rouge » a été supprimée');
});

test('changing the password: a wrong current one is refused, the right one ends other sessions', async ({ page, request, browser }) => {
  const address = newAddress('mdp');
  await loggedInAccount(page, request, address);
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await logIn(other, elsewhere.request, address);

  const factors = new FactorsPage(page);
  await factors.open();
  const newPassword = 'Autre-mot2passe!';
  await page.getByLabel('Mot de passe actuel', { exact: true }).fill('Pas-le-bon1!');
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await expect(page.getByRole('alert').first()).toHaveText('Le mot de passe actuel est incorrect.');
  await expect(page.getByLabel('Mot de passe actuel', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Mot de passe actuel', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await expect(factors.status('Votre mot de passe a été changé.')).toBeVisible();
  expect((await nextMail(request, address, NOTICE, 0)).text).toContain('Votre mot de passe a été changé');

  // This session lives on; the other one has ended.
  await factors.open();
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  await openHydrated(other, '/');
  await expect(other.getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await elsewhere.close();

  // The new password opens the next login, the old one no longer does.
  await logOut(page);
  await enterPassword(page, address);
  await expect(page.getByRole('alert')).toHaveText('Adresse de connexion ou mot de passe incorrect.');
  await enterPassword(page, address, newPassword);
  await expect(page.getByLabel(FR.code)).toBeVisible();
});

test('a visitor is sent to the login page', async ({ page }) => {
  await openHydrated(page, FACTORS);
  await expect(page.getByText('Connectez-vous pour gérer vos facteurs d’authentification.')).toBeVisible();
});

for (const mode of ['normal', 'accessibility'] as const) {
  test(`the factors page has no axe violation in ${mode} mode, in English too`, async ({ page, request, context }) => {
    await setDisplay(context, { accessibility: mode === 'accessibility' });
    const address = newAddress(`axe-facteurs-${mode}`);
    await activeAccount(page, request, address);
    await virtualKey(page);
    await logIn(page, request, address);
    const factors = new FactorsPage(page);
    await factors.open();
    await factors.startApp();
    await expectNoAxeViolations(page, `factors page with the QR code (${mode})`);
    await factors.addKey('Clé verte');
    await expect(factors.status('La clé de sécurité a été ajoutée.')).toBeVisible();
    await expectNoAxeViolations(page, `factors page with a key (${mode})`);

    // In English, with the keyboard alone: the login step with the key. The
    // language is chosen while logged in, so it is saved on the account and
    // the next login keeps it (rule P4).
    await new DisplayTools(page).switchTo('English');
    await logOut(page, EN);
    await enterPassword(page, address, PASSWORD, EN);
    await expect(page.getByRole('heading', { name: 'Security key' })).toBeVisible();
    await expectNoAxeViolations(page, `login key step (${mode})`);
    await page.getByRole('button', { name: 'Use my security key' }).focus();
    await page.keyboard.press('Enter');
    await expectLoggedIn(page, EN);
    await openHydrated(page, FACTORS);
    await expect(page.getByRole('heading', { name: 'My authentication factors', level: 1 })).toBeVisible();
    await expectNoAxeViolations(page, `factors page in English (${mode})`);
  });
}
