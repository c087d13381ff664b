import { expect, test } from '@playwright/test';
import {
  EN, FR, PASSWORD, activeAccount, choosePassword, enterCode, enterPassword, logOut, newAddress, signUp,
} from '../helpers/accounts';
import { moveClock, resetClock } from '../helpers/clock';
import { codeIn, linkIn, mailCount, mailTo } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated, setDisplay } from '../helpers/pages';

test.afterEach(({ request }) => resetClock(request));

test('sign-up, activation, password, login with the e-mailed code, logout', async ({ page, request, context }) => {
  const address = newAddress('parcours');
  await signUp(page, address);
  const activation = await mailTo(request, address, FR.activationSubject);

  await openHydrated(page, linkIn(activation));
  // The shared policy, live.
  const password = page.getByLabel('Mot de passe', { exact: true });
  await password.fill('abc');
  await expect(page.locator('li[data-criterion=MinLength]')).not.toHaveClass(/\bmet\b/);
  await expect(page.locator('li[data-criterion=Lowercase]')).toHaveClass(/\bmet\b/);
  await password.fill(PASSWORD);
  for (const c of ['MinLength', 'Digit', 'Lowercase', 'Uppercase', 'Special']) {
    await expect(page.locator(`li[data-criterion=${c}]`)).toHaveClass(/\bmet\b/);
  }
  await page.getByLabel('Confirmation du mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByText(FR.passwordDone)).toBeVisible();

  // The link works once.
  await openHydrated(page, linkIn(activation));
  await expect(page.getByText('Ce lien a déjà été utilisé.')).toBeVisible();

  await enterPassword(page, address);
  await enterCode(page, codeIn(await mailTo(request, address, FR.codeSubject)));
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name === 'portal_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  await logOut(page);
  // The old cookie is worth nothing after logout.
  await context.addCookies([{ ...session!, expires: -1 }]);
  await openHydrated(page, '/');
  await expect(page.getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await expect(page.getByText('Connecté : Marie Curie')).toHaveCount(0);
});

test('an expired activation link fails clearly and Mot de passe oublié ? sends a new one', async ({ page, request }) => {
  const address = newAddress('expire');
  await signUp(page, address);
  const link = linkIn(await mailTo(request, address, FR.activationSubject));
  await moveClock(request, 61 * 60);
  await openHydrated(page, link);
  await expect(page.getByRole('heading', { name: 'L’initialisation du mot de passe a échoué' })).toBeVisible();
  await expect(page.getByText('Ce lien a expiré')).toBeVisible();
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mot de passe oublié ?');
  await page.getByLabel('Adresse de connexion').fill(address);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByText('Si cette adresse correspond à un compte')).toBeVisible();
  const reset = await mailTo(request, address, 'Réinitialisation de votre mot de passe');
  await choosePassword(page, linkIn(reset));
  await enterPassword(page, address);
  await expect(page.getByLabel(FR.code)).toBeVisible();
});

test('Mot de passe oublié ? answers the same for an unknown address and sends nothing', async ({ page, request }) => {
  const address = newAddress('inconnu');
  await openHydrated(page, '/mot-de-passe-oublie');
  await page.getByLabel('Adresse de connexion').fill(address);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByText('Si cette adresse correspond à un compte')).toBeVisible();
  expect(await mailCount(request, address)).toBe(0);
});

test('wrong passwords lock the login until the lock ends', async ({ page, request }) => {
  const address = newAddress('verrou');
  await activeAccount(page, request, address);
  for (let i = 0; i < 5; i++) {
    await enterPassword(page, address, 'Mauvais-mot2passe');
    await expect(page.getByRole('alert')).toHaveText('Adresse de connexion ou mot de passe incorrect.');
  }
  await enterPassword(page, address);
  await expect(page.getByRole('alert')).toContainText('Trop de tentatives');
  await moveClock(request, 16 * 60);
  await enterPassword(page, address);
  await expect(page.getByLabel(FR.code)).toBeVisible();
});

test('a wrong code is refused, a new code can be sent, and an old code is refused', async ({ page, request }) => {
  const address = newAddress('code');
  await activeAccount(page, request, address);
  await enterPassword(page, address);
  const first = codeIn(await mailTo(request, address, FR.codeSubject));
  await enterCode(page, first === '000000' ? '111111' : '000000');
  await expect(page.getByRole('alert')).toHaveText('Ce code est incorrect.');

  const before = await mailCount(request, address);
  await page.getByRole('button', { name: 'Recevoir un nouveau code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Un nouveau code vous a été envoyé.' })).toBeVisible();
  await expect.poll(() => mailCount(request, address)).toBe(before + 1);
  const second = codeIn(await mailTo(request, address, FR.codeSubject));
  await enterCode(page, first);
  if (first !== second) {
    // The first code stopped working when the second was sent.
    await expect(page.getByRole('alert')).toHaveText('Ce code est incorrect.');
  }
  await enterCode(page, second);
  await expect(page.getByText('Connecté : Marie Curie')).toBeVisible();
  await logOut(page);

  // A used code does not open a new login.
  await enterPassword(page, address);
  await expect(page.getByLabel(FR.code)).toBeVisible();
  await enterCode(page, second);
  await expect(page.getByRole('alert')).toHaveText('Ce code est incorrect.');
  await expect(page.getByText('Connecté : Marie Curie')).toHaveCount(0);
});

test('reset and lock-out in English, in accessibility mode', async ({ page, request, context }) => {
  await setDisplay(context, { accessibility: true, language: 'en' });
  const address = newAddress('reset-en');
  await activeAccount(page, request, address, EN);
  for (let i = 0; i < 5; i++) {
    await enterPassword(page, address, 'Wrong-pass2word', EN);
    await expect(page.getByRole('alert')).toHaveText('Wrong login address or password.');
  }
  await enterPassword(page, address, PASSWORD, EN);
  await expect(page.getByRole('alert')).toContainText('Too many attempts');
  await expectNoAxeViolations(page, 'locked login (en, a11y)');

  await page.getByRole('link', { name: 'Forgotten password?' }).click();
  await page.getByLabel('Login address').fill(address);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText('If this address belongs to an account')).toBeVisible();
  const reset = await mailTo(request, address, 'Resetting your password');
  expect(reset.text).toContain('Hello Marie');
  await choosePassword(page, linkIn(reset), 'New-passw0rd!!', EN);
  await moveClock(request, 16 * 60);
  await enterPassword(page, address, 'New-passw0rd!!', EN);
  await expect(page.getByLabel(EN.code)).toBeVisible();
});

test('the sign-up form shows its errors next to the fields, as the user types', async ({ page }) => {
  await openHydrated(page, '/creer-un-compte');
  await page.getByLabel(FR.login, { exact: true }).fill('marie@');
  await page.getByLabel(FR.login, { exact: true }).blur();
  const login = page.getByLabel(FR.login, { exact: true });
  await expect(login).toHaveAttribute('aria-invalid', 'true');
  await expect(login).toHaveAccessibleDescription(/Saisissez une adresse e-mail valide/);
  await login.fill('marie@example.fr');
  await expect(login).toHaveAttribute('aria-invalid', 'false');
  await page.getByRole('button', { name: FR.createSubmit }).click();
  await expect(page.getByRole('alert')).toHaveText(/Le formulaire contient des erreurs/);
  await expect(page.getByLabel(FR.lastName, { exact: true })).toHaveAccessibleDescription('Ce champ est obligatoire.');
});

test('the whole lifecycle in English, in accessibility mode, with no axe violation', async ({ page, request, context }) => {
  await setDisplay(context, { accessibility: true, language: 'en' });
  const address = newAddress('english');
  await openHydrated(page, '/creer-un-compte');
  await expectNoAxeViolations(page, 'sign-up (en, a11y)');
  await signUp(page, address, EN);
  await expectNoAxeViolations(page, 'sign-up done (en, a11y)');
  const activation = await mailTo(request, address, EN.activationSubject);
  expect(activation.text).toContain('Hello Marie');
  await openHydrated(page, linkIn(activation));
  await expectNoAxeViolations(page, 'activation (en, a11y)');
  await choosePassword(page, linkIn(activation), PASSWORD, EN);
  await enterPassword(page, address, PASSWORD, EN);
  await expect(page.getByLabel(EN.code)).toBeVisible();
  await expectNoAxeViolations(page, 'code step (en, a11y)');
  await enterCode(page, codeIn(await mailTo(request, address, EN.codeSubject)), EN);
  await expect(page.getByText('Logged in: Marie Curie')).toBeVisible();
  await expectNoAxeViolations(page, 'home, logged in (en, a11y)');
  await logOut(page, EN);
});

for (const mode of ['normal', 'accessibility'] as const) {
  test(`account pages have no axe violation in ${mode} mode, with errors shown`, async ({ page, context }) => {
    await setDisplay(context, { accessibility: mode === 'accessibility' });
    await openHydrated(page, '/creer-un-compte');
    await page.getByRole('button', { name: FR.createSubmit }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectNoAxeViolations(page, `sign-up with errors (${mode})`);
    await openHydrated(page, '/connexion');
    await enterPassword(page, newAddress('axe'), 'Mauvais-mot2passe');
    await expect(page.getByRole('alert')).toBeVisible();
    await expectNoAxeViolations(page, `login with error (${mode})`);
    await openHydrated(page, '/mot-de-passe-oublie');
    await expectNoAxeViolations(page, `forgot (${mode})`);
    await openHydrated(page, '/activation?jeton=inconnu');
    await expect(page.getByText('Ce lien n’est pas valide.')).toBeVisible();
    await expectNoAxeViolations(page, `dead link (${mode})`);
  });
}
