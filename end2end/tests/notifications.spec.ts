import { expect, test } from '@playwright/test';
import { EN, newAddress, userInOwnContext } from '../helpers/accounts';
import { advanceClock, resetClock } from '../helpers/clock';
import { mailCount, mailTo } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated, reloadHydrated } from '../helpers/pages';
import { addService, createForeignStructure } from '../helpers/structures';

// Rule P2, *Paramétrer vos notifications* (issue 13): the topics chosen on
// *Mon compte*, with the keyboard; the weekly summary of a managed
// structure's movements arrives once the week has ended, and not after a
// quiet week (the server runs its weekly look every second here, see
// playwright.config.ts). That two instances send one e-mail is asserted by
// server/tests/notifications.rs.

test.afterEach(({ request }) => resetClock(request));

const SUMMARY = 'Récapitulatif hebdomadaire des mouvements de mes structures';

test('a manager asks for the weekly summary and receives it after the week', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('recap'));
  const { page, request } = user;
  const identifier = `REC-${Date.now()}`;
  await createForeignStructure(page, identifier, 'Récap SARL');

  await openHydrated(page, '/mon-compte');
  await expect(page.getByText('Aucune notification choisie.')).toBeVisible();
  const setUp = page.getByRole('button', { name: 'Paramétrer vos notifications' });
  await expect(setUp).toHaveAttribute('aria-expanded', 'false');
  await setUp.focus();
  await page.keyboard.press('Enter');
  await expect(setUp).toHaveAttribute('aria-expanded', 'true');
  // The focus goes to the first box; the keyboard ticks the others.
  await expect(page.getByLabel('Certificats de cessibilité')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Facturation CPRO')).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel(SUMMARY)).toBeFocused();
  await page.keyboard.press('Space');
  await expectNoAxeViolations(page, 'Mon compte, notifications open');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Vos préférences de notification sont enregistrées.');
  const chosen = `Notifications choisies : Facturation CPRO, ${SUMMARY}.`;
  await expect(page.getByText(chosen)).toBeVisible();
  await expect(setUp).toHaveAttribute('aria-expanded', 'false');
  await expect(setUp).toBeFocused();
  // Saved on the account.
  await reloadHydrated(page);
  await expect(page.getByText(chosen)).toBeVisible();

  // This week's movement: a new service.
  await addService(page, 'Récap SARL', 'ACHATS', 'Service achats');
  // A week later, the summary of the week that ended.
  await advanceClock(request, 7 * 24 * 3600);
  const mail = await mailTo(request, user.address, 'Récapitulatif hebdomadaire de vos structures');
  expect(mail.text).toContain(`Récap SARL (${identifier})`);
  expect(mail.text).toContain('Services créés, fermés ou rouverts : 1');
  expect(mail.text).toContain('« Paramétrer vos notifications »');
  // A week without movement: no second summary. (The server looks every
  // second; five looks later nothing came. server/tests/notifications.rs
  // asserts the quiet week without waiting.)
  await advanceClock(request, 7 * 24 * 3600);
  await page.waitForTimeout(5_000);
  expect(await mailCount(request, user.address, 'Récapitulatif hebdomadaire')).toBe(1);
  await resetClock(request);
  await user.close();
});

test('notifications are set up in English, in the accessibility mode', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('notif-en'), undefined, EN, {
    language: 'en',
    accessibility: true,
  });
  const { page } = user;
  await openHydrated(page, '/mon-compte');
  await expect(page.getByText('No notification chosen.')).toBeVisible();
  await page.getByRole('button', { name: 'Set up your notifications' }).click();
  await page.getByLabel('CPRO Invoicing').check();
  await page.getByLabel('Commitments').check();
  await expectNoAxeViolations(page, 'My account, notifications open (English, accessibility mode)');
  // *Annuler* drops the ticks; nothing was saved.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No notification chosen.')).toBeVisible();
  await page.getByRole('button', { name: 'Set up your notifications' }).click();
  await expect(page.getByLabel('CPRO Invoicing')).not.toBeChecked();
  await page.getByLabel('CPRO Invoicing').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Notifications chosen: CPRO Invoicing.')).toBeVisible();
  await user.close();
});
