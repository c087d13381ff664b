import { expect, test, type Page } from '@playwright/test';
import { EN, FR, logIn, newAddress, userInOwnContext, userMenu } from '../helpers/accounts';
import { advanceClock, resetClock } from '../helpers/clock';
import { linkIn, mailCount, mailTo } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated, reloadHydrated, DisplayTools } from '../helpers/pages';

// Rule P6, *Changer mon adresse de connexion*, reached from the user's menu
// (issue 13): a link to the new address, valid 24 hours, one request at a
// time; once used, the new address logs in, the old one does not, the other
// sessions end and both addresses are told.

test.afterEach(async ({ request }) => resetClock(request));

async function expectLoggedOut(page: Page, signIn: string) {
  await reloadHydrated(page);
  await expect(page.getByRole('navigation').getByRole('link', { name: signIn, exact: true })).toBeVisible();
}

test('the user menu works with the keyboard and leads to the address change', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('menu'));
  const { page } = user;
  await openHydrated(page, '/mes-structures');
  const menu = userMenu(page);
  const item = page.getByRole('link', { name: 'Changer mon adresse de connexion' });
  await expect(item).toBeHidden();
  await menu.focus();
  await page.keyboard.press('Enter');
  for (const name of ['Mes rattachements', 'Mes habilitations', 'Historique de mes demandes',
    'Mes facteurs d’authentification', 'Changer mon adresse de connexion']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: FR.signOut })).toBeVisible();
  await expectNoAxeViolations(page, 'the open user menu');
  // Escape closes it and gives the focus back to its button.
  await page.keyboard.press('Escape');
  await expect(item).toBeHidden();
  await expect(menu).toBeFocused();
  // Following an item closes the menu under the new page.
  await page.keyboard.press('Enter');
  await item.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Changer mon adresse de connexion', level: 1 })).toBeVisible();
  await expect(item).toBeHidden();
  await user.close();
});

test('a new login address is confirmed through its link and logs in; the old one no longer does', async ({ browser, request }) => {
  const old = newAddress('ancienne');
  const fresh = newAddress('nouvelle');
  const user = await userInOwnContext(browser, old);
  const { page } = user;
  await openHydrated(page, '/changer-mon-adresse-de-connexion');
  await expect(page.getByText(old, { exact: true })).toBeVisible();
  await expectNoAxeViolations(page, 'the address change page');
  await new DisplayTools(page).accessibilityButton('Mode accessibilité').click();
  await expectNoAxeViolations(page, 'the address change page (accessibility mode)');

  // A mismatched confirmation is caught before anything is sent.
  await page.getByLabel('Nouvelle adresse de connexion', { exact: true }).fill(fresh);
  await page.getByLabel('Confirmation de la nouvelle adresse de connexion').fill(`x${fresh}`);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByText('Les deux adresses ne sont pas identiques.')).toBeVisible();
  await page.getByLabel('Confirmation de la nouvelle adresse de connexion').fill(fresh);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Un lien de confirmation a été envoyé à ${fresh}` })).toBeVisible();

  // One request at a time: the page says which one waits, and offers no form.
  await reloadHydrated(page);
  await expect(page.getByText(`Une demande de changement vers ${fresh} attend sa confirmation`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Soumettre' })).toHaveCount(0);

  // The link, opened in another browser, not logged in.
  const link = linkIn(await mailTo(request, fresh, 'Confirmez votre nouvelle adresse de connexion'));
  const other = await browser.newContext();
  const there = await other.newPage();
  await openHydrated(there, link);
  await expectNoAxeViolations(there, 'the address confirmation page');
  await there.getByRole('button', { name: 'Confirmer le changement' }).click();
  await expect(there.getByRole('status').filter({ hasText: `Votre adresse de connexion est désormais ${fresh}` })).toBeVisible();
  expect((await mailTo(request, old, 'Votre adresse de connexion a changé')).text).toContain(fresh);
  expect(await mailCount(request, fresh, 'Votre adresse de connexion a changé')).toBe(1);

  // Every session of the account ended; the new address logs in.
  await expectLoggedOut(page, 'Se connecter');
  await logIn(there, request, fresh);
  await openHydrated(there, link);
  await there.getByRole('button', { name: 'Confirmer le changement' }).click();
  await expect(there.getByRole('alert')).toHaveText('Ce lien a déjà été utilisé.');
  await other.close();
  await user.close();
});

test('an unused link lapses after 24 hours, in English', async ({ browser, request }) => {
  const address = newAddress('lapse');
  const fresh = newAddress('lapse-new');
  const user = await userInOwnContext(browser, address, undefined, EN, { language: 'en' });
  const { page } = user;
  await openHydrated(page, '/changer-mon-adresse-de-connexion');
  await expect(page.getByRole('heading', { name: 'Change my login address', level: 1 })).toBeVisible();
  await page.getByLabel('New login address', { exact: true }).fill(fresh);
  await page.getByLabel('New login address confirmation').fill(fresh);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('status').filter({ hasText: `A confirmation link was sent to ${fresh}` })).toBeVisible();
  const link = linkIn(await mailTo(request, fresh, 'Confirm your new login address'));

  await advanceClock(request, 24 * 3600 + 60);
  await openHydrated(page, link);
  await page.getByRole('button', { name: 'Confirm the change' }).click();
  await expect(page.getByRole('alert')).toContainText('This link has expired');
  // The old address still logs in. (Back to real time first: the login's
  // brute-force counters written at tomorrow's time would not decay for the
  // rest of the run. That a lapsed request makes way for a new one is
  // asserted by server/tests/address_change.rs.)
  await resetClock(request);
  await logIn(page, request, address, EN);
  await user.close();
});
