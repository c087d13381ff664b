import { expect, test, type Page } from '@playwright/test';
import { PASSWORD, activeAccount, enterPassword, expectLoggedIn, logIn, loggedInAccount, newAddress } from '../helpers/accounts';
import { advanceClock, resetClock, serverNow } from '../helpers/clock';
import { FACTORS, FactorsPage, appCode, enterAppCode } from '../helpers/factors';
import { DisplayTools, expectNoAxeViolations, openHydrated, reloadHydrated } from '../helpers/pages';

// *Mes sessions* (ASVS 7.4.3, 7.5.1, 7.5.2), in *Mes facteurs
// d'authentification*: where the account is logged in, ending one session
// or all the others, the offer after a factor change, and the full
// re-authentication an old login needs first.

test.afterEach(({ request }) => resetClock(request));

/** The header offers *Se connecter* again: this browser is logged out. */
async function expectLoggedOut(page: Page, signIn = 'Se connecter') {
  await reloadHydrated(page);
  await expect(page.getByRole('navigation').getByRole('link', { name: signIn })).toBeVisible();
}

const OTHER = /^Fermer cette session : Chrome · Linux, ouverte le \d\d\/\d\d\/\d{4} à \d\d:\d\d UTC$/;

test('ending another session, the offer after adding a factor, and ending all after logging in again', async ({ page, request, browser }) => {
  const address = newAddress('sessions');
  await loggedInAccount(page, request, address);
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await logIn(other, elsewhere.request, address);

  const factors = new FactorsPage(page);
  await factors.open();
  const sessions = page.getByRole('region', { name: 'Mes sessions' });
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await expect(sessions.getByRole('listitem').first()).toContainText('Cette session');
  await expect(sessions.getByRole('listitem').first()).toContainText('Chrome · Linux');
  await sessions.getByRole('button', { name: OTHER }).click();
  await expect(factors.status('La session a été fermée.')).toBeVisible();
  await expect(sessions.getByRole('listitem')).toHaveCount(1);
  await expectLoggedOut(other);

  // After a factor is added, the section says why ending the others matters.
  await logIn(other, elsewhere.request, address);
  await reloadHydrated(page);
  const secret = await factors.startApp();
  await factors.confirmApp(appCode(secret, await serverNow(request)), 'Téléphone');
  await expect(factors.status('L’application a été ajoutée.')).toBeVisible();
  await expect(sessions.getByText('Vos facteurs d’authentification viennent de changer')).toBeVisible();
  await sessions.getByRole('button', { name: 'Fermer toutes mes autres sessions' }).click();
  await expect(factors.status('Sessions fermées : 1.')).toBeVisible();
  await expectLoggedOut(other);

  // Eleven minutes later: log in again where one is (the password, then the
  // app's code), and only then end the others.
  await enterPassword(other, address);
  await advanceClock(request, 60);
  await enterAppCode(other, appCode(secret, await serverNow(request)));
  await expectLoggedIn(other);
  await advanceClock(request, 11 * 60);
  await factors.open();
  await sessions.getByRole('button', { name: 'Fermer toutes mes autres sessions' }).click();
  await factors.reauthenticate(PASSWORD);
  await enterAppCode(page, appCode(secret, await serverNow(request)));
  await factors.reloaded();
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await sessions.getByRole('button', { name: 'Fermer toutes mes autres sessions' }).click();
  await expect(factors.status('Sessions fermées : 1.')).toBeVisible();
  await expectLoggedOut(other);
  await elsewhere.close();
});

test('in English and the accessibility mode, with the keyboard', async ({ page, request, browser }) => {
  const address = newAddress('sessions-en');
  await activeAccount(page, request, address);
  await logIn(page, request, address);
  const mine = await browser.newContext();
  const me = await mine.newPage();
  await logIn(me, mine.request, address);
  // English and the accessibility mode, chosen while logged in: saved on the
  // account (rule P4); the other browser keeps the display it logged in with.
  const tools = new DisplayTools(me);
  await tools.switchTo('English');
  await tools.accessibilityButton('Accessibility mode').click();
  await expect(me.locator('html')).toHaveClass(/\ba11y\b/);

  await openHydrated(me, FACTORS);
  const sessions = me.getByRole('region', { name: 'My sessions' });
  await expect(sessions.getByRole('listitem').first()).toContainText('This session');
  await expectNoAxeViolations(me, 'My sessions (English, accessibility mode)');
  const end = sessions.getByRole('button', {
    name: /^End this session: Chrome · Linux, opened on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
  });
  await end.focus();
  await me.keyboard.press('Enter');
  await expect(me.getByRole('status').filter({ hasText: 'The session has been ended.' })).toBeVisible();
  await expectLoggedOut(page);
  await mine.close();
});
