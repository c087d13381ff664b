import { expect, test, type Page } from '@playwright/test';
import { newAddress, userInOwnContext, userMenu } from '../helpers/accounts';
import { linkIn, mailTo } from '../helpers/mailbox';
import { DisplayTools, expectNoAxeViolations, openHydrated, reloadHydrated } from '../helpers/pages';

// Rule P1, *Mon compte* (issue 13): each field edited in place and saved
// with *Enregistrer*, checked as typed; the contact address through a link
// sent to the new address, the old one told.

/** The value shown for a field of the card. */
function shown(page: Page, label: string) {
  return page.locator('.account-field').filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
    .locator('.account-value');
}

async function edit(page: Page, label: string, value: string) {
  await page.getByRole('button', { name: `Modifier ${label}`, exact: true }).click();
  const input = page.getByLabel(label, { exact: true });
  await expect(input).toBeFocused();
  await input.fill(value);
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
}

test('each field of Mon compte is edited in place and kept', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('fiche'));
  const { page } = user;
  await openHydrated(page, '/mes-structures');
  await userMenu(page).click();
  await page.getByRole('link', { name: 'Mon compte', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Mon compte', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, 'Mon compte');

  await edit(page, 'Nom', 'Skłodowska');
  await expect(page.getByRole('status')).toHaveText('Modification enregistrée.');
  await expect(shown(page, 'Nom')).toHaveText('Skłodowska');
  await expect(page.getByRole('button', { name: 'Modifier Nom', exact: true })).toBeFocused();

  // A wrong phone number is refused as typed, and nothing is saved.
  await page.getByRole('button', { name: 'Modifier Téléphone', exact: true }).click();
  await page.getByLabel('Téléphone', { exact: true }).fill('abc');
  await expect(page.getByText('Saisissez un numéro de téléphone valide (6 à 20 chiffres).')).toBeVisible();
  await page.getByLabel('Téléphone', { exact: true }).fill('01 23 45 67 89');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(shown(page, 'Téléphone')).toHaveText('01 23 45 67 89');

  await edit(page, 'Adresse du lieu de travail', '12 rue de la Paix\n75002 Paris');
  await expect(shown(page, 'Adresse du lieu de travail')).toHaveText(/^12 rue de la Paix\s+75002 Paris$/);
  await edit(page, 'Biographie', 'Physicienne et chimiste.');
  await expect(shown(page, 'Biographie')).toHaveText('Physicienne et chimiste.');

  // *Annuler* keeps the value.
  await page.getByRole('button', { name: 'Modifier Prénom', exact: true }).click();
  await page.getByLabel('Prénom', { exact: true }).fill('Maria');
  await page.getByRole('button', { name: 'Annuler' }).click();
  await expect(shown(page, 'Prénom')).toHaveText('Marie');

  // The accessibility mode, with an editor open.
  await new DisplayTools(page).accessibilityButton('Mode accessibilité').click();
  await page.getByRole('button', { name: 'Modifier Biographie', exact: true }).click();
  await expectNoAxeViolations(page, 'Mon compte, an editor open (accessibility mode)');

  await reloadHydrated(page);
  await expect(shown(page, 'Nom')).toHaveText('Skłodowska');
  await expect(shown(page, 'Adresse du lieu de travail')).toHaveText(/^12 rue de la Paix\s+75002 Paris$/);
  await expect(userMenu(page)).toContainText('Marie Skłodowska');

  // In English.
  await new DisplayTools(page).switchTo('English');
  await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit Workplace address', exact: true })).toBeVisible();
  await expectNoAxeViolations(page, 'Mon compte in English');
  await user.close();
});

test('the contact address changes through a link to the new address', async ({ browser, request }) => {
  const address = newAddress('contact');
  const contact = newAddress('contact-new');
  const user = await userInOwnContext(browser, address);
  const { page } = user;
  await openHydrated(page, '/mon-compte');
  await expect(shown(page, 'Adresse de contact')).toHaveText(address);
  await page.getByRole('button', { name: 'Modifier Adresse de contact', exact: true }).click();
  await page.getByLabel('Nouvelle adresse de contact', { exact: true }).fill(contact);
  await page.getByLabel('Confirmation de la nouvelle adresse de contact').fill(contact);
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`Un lien de confirmation a été envoyé à ${contact}`);
  await expect(page.getByText(`En attente de confirmation : ${contact}`)).toBeVisible();
  // Until the link is used, the contact address stays.
  await reloadHydrated(page);
  await expect(shown(page, 'Adresse de contact')).toHaveText(address);

  await openHydrated(page, linkIn(await mailTo(request, contact, 'Confirmez votre nouvelle adresse de contact')));
  await expectNoAxeViolations(page, 'the contact confirmation page');
  await page.getByRole('button', { name: 'Confirmer le changement' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Votre adresse de contact est désormais ${contact}` })).toBeVisible();
  expect((await mailTo(request, address, 'Votre adresse de contact a changé')).text).toContain(contact);
  await page.getByRole('status').getByRole('link', { name: 'Mon compte', exact: true }).click();
  await expect(shown(page, 'Adresse de contact')).toHaveText(contact);
  await user.close();
});

test('Préférences utilisateurs: chosen, applied by Actualiser, kept on the account', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('preferences-compte'));
  const { page } = user;
  await openHydrated(page, '/mon-compte');
  const refresh = page.getByRole('button', { name: 'Actualiser pour afficher les changements' });
  await expect(refresh).toHaveCount(0);
  const accessibility = page.getByRole('switch', { name: 'Accessibilité activée' });
  await expect(accessibility).not.toBeChecked();
  // The button appears with a change, and goes with its undoing.
  await accessibility.check();
  await expect(accessibility.locator('xpath=..')).toContainText('Activé');
  await expect(refresh).toBeVisible();
  await accessibility.uncheck();
  await expect(refresh).toHaveCount(0);

  await accessibility.check();
  await page.getByRole('switch', { name: 'J’accepte de recevoir des enquêtes de satisfaction' }).check();
  await page.getByLabel('Langue', { exact: true }).selectOption('en');
  await expectNoAxeViolations(page, 'Préférences utilisateurs, changed');
  await refresh.click();

  // Reloaded in English, in the accessibility mode, the consent kept.
  await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveClass(/\ba11y\b/);
  await expect(page.getByRole('switch', { name: 'I agree to receive satisfaction surveys' })).toBeChecked();
  await expect(page.getByRole('switch', { name: 'Accessibility enabled' })).toBeChecked();
  await expect(page.getByLabel('Language', { exact: true })).toHaveValue('en');
  await expectNoAxeViolations(page, 'Mon compte after Actualiser (English, accessibility mode)');
  await user.close();
});
