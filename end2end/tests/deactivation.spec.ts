import { expect, test } from '@playwright/test';
import { FR, PASSWORD, choosePassword, enterPassword, newAddress, userInOwnContext } from '../helpers/accounts';
import { linkIn, mailTo } from '../helpers/mailbox';
import { DisplayTools, expectNoAxeViolations, openHydrated } from '../helpers/pages';
import { createForeignStructure } from '../helpers/structures';

// Rule P5, *Désactiver mon compte* (issue 13): a primary manager is first
// asked for a successor; the box, the password, *Soumettre*; the account
// then cannot log in, and *Mot de passe oublié ?* brings it back.

test('a primary manager is first sent to the transfer', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('gerant'));
  const { page } = user;
  const name = `Désactivation ${Date.now()}`;
  await createForeignStructure(page, `DEA-${Date.now()}`, name);
  await openHydrated(page, '/mon-compte');
  await page.getByRole('link', { name: 'Désactiver mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Désactiver/réactiver un compte utilisateur', level: 1 })).toBeVisible();
  await expect(page.getByText(`Vous êtes gestionnaire principal de : ${name}.`)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Désactiver mes accès' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Transférer toutes vos structures vers un seul gestionnaire' }).click();
  await expect(page).toHaveURL(/\/mes-structures\/transferer$/);
  await user.close();
});

test('a deactivated account cannot log in until Mot de passe oublié ? reactivates it', async ({ browser, request }) => {
  const address = newAddress('depart');
  const user = await userInOwnContext(browser, address);
  const { page } = user;
  await openHydrated(page, '/desactiver-mon-compte');
  await expectNoAxeViolations(page, 'the deactivation page');
  await new DisplayTools(page).accessibilityButton('Mode accessibilité').click();
  await expectNoAxeViolations(page, 'the deactivation page (accessibility mode)');

  // The box must be ticked. (A wrong password, and the refused login of a
  // deactivated account, are asserted by server/tests/deactivation.rs: each
  // is a failure on the brute-force counter of the e2e run's one client
  // address, which the other suites' wrong passwords and codes already
  // bring near its limit of 20 per lock period.)
  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cochez « Désactiver mes accès » pour confirmer.');
  await page.getByRole('checkbox', { name: 'Désactiver mes accès' }).check();
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('status')).toContainText('Votre compte est désactivé');
  expect((await mailTo(request, address, 'Votre compte a été désactivé')).text).toContain('Mot de passe oublié ?');

  // Logged out: the session ended with the account.
  await page.getByRole('link', { name: 'Retour à l’accueil' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: FR.signIn, exact: true })).toBeVisible();

  // *Mot de passe oublié ?* says it, and its link reactivates the account.
  await openHydrated(page, '/mot-de-passe-oublie');
  await expect(page.getByText('Si votre compte est désactivé, ce lien permet aussi de le réactiver.')).toBeVisible();
  await page.getByLabel(FR.login, { exact: true }).fill(address);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await choosePassword(page, linkIn(await mailTo(request, address, 'Réactivez votre compte')), 'Nouveau-2!mdpx');
  // The new password passes the first step again.
  await enterPassword(page, address, 'Nouveau-2!mdpx');
  await expect(page.getByLabel(FR.code)).toBeVisible();
  await user.close();
});
