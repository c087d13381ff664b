import { expect, test, type Page } from '@playwright/test';
import { newAddress, userInOwnContext } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { mailTo } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated, reloadHydrated, setDisplay } from '../helpers/pages';
import { createForeignStructure } from '../helpers/structures';

// Rules M1–M3, second part: *Rattacher un utilisateur* (an existing account
// is attached at once and told; an unknown address is invited and its
// account lands attached when activated), *5 lignes par page*, and
// *Transférer toutes vos structures vers un seul gestionnaire*, each user in
// a browser context of their own.

test.describe.configure({ timeout: 120_000 });

/** The id of the caller's structure `identifier`, read from *Mes structures*. */
async function structureId(page: Page, identifier: string): Promise<number> {
  const found = await (await callServerFunction(page.context().request, 'my-structures', { page: 0, per_page: 50 })).json();
  return found.rows.find((row: { identifier: string }) => row.identifier === identifier).id;
}

test('a manager attaches an existing user and invites an unknown address, whose account lands attached', async ({ browser }) => {
  const identifier = `AJOUT-${Date.now()}`;
  const name = 'AJOUT EXEMPLE LTD';
  const a = await userInOwnContext(browser, newAddress('ajout-a'));
  await createForeignStructure(a.page, identifier, name);
  const b = await userInOwnContext(browser, newAddress('ajout-b'), { lastName: 'Bernard', firstName: 'Inès' });

  // *Mes structures*: 5 lines a page by default, another choice kept.
  await openHydrated(a.page, '/mes-structures');
  const perPage = a.page.getByLabel('Lignes par page');
  await expect(perPage).toHaveValue('5');
  await perPage.selectOption('20');
  await expect(perPage).toHaveValue('20');
  await expect(a.page.getByRole('row').filter({ hasText: identifier })).toBeVisible();
  await a.page.getByRole('link', { name: `Fiche structure de ${name}` }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText(`${name} (${identifier})`);
  // The users table pages by 5 too, as the seed shows.
  await expect(a.page.getByLabel('Lignes par page')).toHaveValue('5');

  // The form opens from its button, and checks the address as the server does.
  const open = a.page.getByRole('button', { name: '+ Rattacher un utilisateur' });
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  await open.click();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  const address = a.page.getByLabel('Adresse de connexion de l’utilisateur');
  await address.fill('pas-une-adresse');
  await a.page.getByRole('button', { name: 'Rattacher', exact: true }).click();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(a.page.getByText('Saisissez une adresse e-mail valide')).toBeVisible();
  await expectNoAxeViolations(a.page, 'structure page, attach form open');

  // An existing account: attached at once, and told.
  await address.fill(b.address.toUpperCase());
  await a.page.getByRole('button', { name: 'Rattacher', exact: true }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'est rattaché à la structure' })).toContainText(b.address);
  await expect(a.page.getByRole('row').filter({ hasText: b.address })).toContainText('Bernard');
  const told = await mailTo(a.request, b.address, `vous êtes rattaché à la structure ${name}`);
  expect(told.text).toContain('/mes-habilitations');
  // Twice: refused, in words.
  await open.click();
  await address.fill(b.address);
  await a.page.getByRole('button', { name: 'Rattacher', exact: true }).click();
  await expect(a.page.getByText('Cet utilisateur est déjà rattaché à la structure.')).toBeVisible();
  await a.page.getByRole('button', { name: 'Annuler' }).click();
  await expect(address).toBeHidden();

  // An unknown address: invited.
  const c = newAddress('ajout-c');
  await open.click();
  await address.fill(c);
  await a.page.getByRole('button', { name: 'Rattacher', exact: true }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'une invitation' })).toContainText(c);
  const invitation = await mailTo(a.request, c, `invitation à rejoindre la structure ${name}`);
  expect(invitation.text).toContain('/creer-un-compte');

  // C creates the account (in English, accessibility mode) and lands attached.
  const invitee = await userInOwnContext(browser, c, undefined, undefined, undefined);
  await setDisplay(invitee.page.context(), { language: 'en', accessibility: true });
  await openHydrated(invitee.page, '/mes-habilitations');
  await expect(invitee.page.getByRole('heading', { name: `${name} (${identifier})`, exact: true })).toBeVisible();
  await expectNoAxeViolations(invitee.page, 'My authorisations after an invitation');

  // The manager sees both in the table, in English and the accessibility mode.
  await setDisplay(a.page.context(), { language: 'en', accessibility: true });
  await reloadHydrated(a.page);
  await expect(a.page.getByRole('row').filter({ hasText: c })).toBeVisible();
  await a.page.getByRole('button', { name: '+ Attach a user' }).click();
  await expect(a.page.getByLabel("The user's login address")).toBeVisible();
  await expectNoAxeViolations(a.page, 'structure page in English, accessibility mode');
  for (const user of [a, b, invitee]) await user.close();
});

test('a primary manager hands all their structures to one user, or none', async ({ browser }) => {
  const stamp = Date.now();
  const a = await userInOwnContext(browser, newAddress('tout-a'));
  await createForeignStructure(a.page, `TOUT1-${stamp}`, 'TOUT UN LTD');
  await createForeignStructure(a.page, `TOUT2-${stamp}`, 'TOUT DEUX LTD');
  const b = await userInOwnContext(browser, newAddress('tout-b'), { lastName: 'Bernard', firstName: 'Inès' });
  const first = await structureId(a.page, `TOUT1-${stamp}`);
  const second = await structureId(a.page, `TOUT2-${stamp}`);
  const added = await callServerFunction(a.request, 'add-structure-user', { structure_id: first, login_email: b.address });
  expect(added.status()).toBe(200);

  await openHydrated(a.page, '/mes-structures');
  await a.page.getByRole('link', { name: 'Transférer toutes vos structures vers un seul gestionnaire' }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Transférer toutes vos structures vers un seul gestionnaire');
  await expect(a.page.getByRole('listitem').filter({ hasText: 'TOUT UN LTD' })).toBeVisible();
  await expect(a.page.getByRole('listitem').filter({ hasText: 'TOUT DEUX LTD' })).toBeVisible();
  await expectNoAxeViolations(a.page, 'transfer all');
  const successor = a.page.getByLabel('Adresse de connexion du nouveau gestionnaire principal');
  const submit = a.page.getByRole('button', { name: 'Transférer toutes mes structures' });

  // B is attached to one of them only: nothing moves.
  await successor.fill(b.address);
  a.page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain('vos 2 structure(s)');
    void dialog.accept();
  });
  await submit.click();
  await expect(a.page.getByRole('alert')).toContainText('Le nouveau gestionnaire principal doit être un utilisateur actif');
  await expect(a.page.getByRole('listitem').filter({ hasText: 'TOUT UN LTD' })).toBeVisible();

  // Declining the confirmation sends nothing.
  await callServerFunction(a.request, 'add-structure-user', { structure_id: second, login_email: b.address });
  a.page.once('dialog', (dialog) => void dialog.dismiss());
  await submit.click();
  await expect(a.page.getByRole('listitem').filter({ hasText: 'TOUT DEUX LTD' })).toBeVisible();

  a.page.once('dialog', (dialog) => void dialog.accept());
  await submit.click();
  await expect(a.page.getByRole('status')).toContainText(`2 structure(s) transférée(s) à ${b.address}`);
  await expect(a.page.getByText('Vous n’êtes gestionnaire principal d’aucune structure.')).toBeVisible();
  await mailTo(a.request, b.address, 'TOUT UN LTD');
  await mailTo(a.request, b.address, 'TOUT DEUX LTD');

  // B is now the primary manager of both; A stays a manager.
  await openHydrated(b.page, '/mes-structures');
  for (const name of ['TOUT UN LTD', 'TOUT DEUX LTD']) {
    await expect(b.page.getByRole('row').filter({ hasText: name })).toContainText('Gestionnaire principal');
  }
  await setDisplay(b.page.context(), { language: 'en', accessibility: true });
  await openHydrated(b.page, '/mes-structures/transferer');
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Transfer all your structures to a single manager');
  await expectNoAxeViolations(b.page, 'transfer all, English, accessibility mode');
  await a.close();
  await b.close();
});
