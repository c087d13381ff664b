import { expect, test } from '@playwright/test';
import { loggedInAccount, newAddress, userInOwnContext } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { expectNoAxeViolations, openHydrated, setDisplay } from '../helpers/pages';
import { openServices, searchSiret, submitService } from '../helpers/structures';

// Rules S1–S3, S9, S10 and M1: creating a structure from the SIRENE sample
// (server/data/sirene/README.md lists its SIRETs) and *Mes structures*.

test('a structure created from a SIRET, listed, exported; a second creation is refused', async ({ page, request, browser }) => {
  const address = newAddress('structure');
  await loggedInAccount(page, request, address);
  // After the first login: no structure yet, the page offers to create one.
  await expect(page).toHaveURL(/\/mes-structures$/);
  await expect(page.getByText('Vous n’êtes rattaché à aucune structure.')).toBeVisible();
  await page.getByRole('link', { name: 'Créer une nouvelle structure' }).click();
  await expect(page.getByRole('note')).toContainText('Ne rattachez jamais votre compte à la structure d’un de vos clients');

  await searchSiret(page, '901 000 018 00019');
  await expect(page.getByLabel('Raison sociale')).toHaveValue('ATELIER DES LILAS');
  await expect(page.getByLabel('Raison sociale')).toHaveAttribute('readonly', '');
  await expect(page.getByRole('group', { name: 'Adresse postale' })).toBeVisible();
  await expect(page.getByLabel('Adresse', { exact: true })).toHaveValue('12 RUE DES LILAS');
  await expect(page.getByLabel('Ville')).toHaveValue('LYON');
  await page.getByLabel('Libellé (facultatif)').fill('Siège de Lyon');
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('status')).toHaveText('La structure ATELIER DES LILAS a été créée. Vous en êtes le gestionnaire principal.');

  await openHydrated(page, '/mes-structures');
  const row = page.getByRole('row').filter({ hasText: 'ATELIER DES LILAS' });
  await expect(row).toContainText('90100001800019');
  await expect(row).toContainText('Active');
  await expect(row).toContainText('Gestionnaire principal');
  for (const column of ['Identifiant structure', 'Raison sociale', 'Date de création', 'Services', 'Statut', 'Actions']) {
    await expect(page.getByRole('columnheader', { name: column })).toBeVisible();
  }

  // The CSV export: a real file, UTF-8 with BOM, `;`-separated.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Exporter au format CSV' }).click();
  const file = await (await download).path();
  const text = (await import('node:fs')).readFileSync(file, 'utf-8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split(/\r?\n/).map((line) => line.split(';'));
  expect(lines[0]).toEqual(['Identifiant structure', 'Raison sociale', 'Date de création', 'Services', 'Statut']);
  expect(lines[1].slice(0, 2)).toEqual(['90100001800019', 'ATELIER DES LILAS']);
  expect(lines[1][2]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);

  // Another user cannot create the same structure: one per identifier.
  const other = await userInOwnContext(browser, newAddress('structure-bis'));
  await searchSiret(other.page, '90100001800019');
  await other.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(other.page.getByRole('alert')).toHaveText('Une structure existe déjà avec cet identifiant. Demandez un rattachement à cette structure.');
  await other.close();
});

test('non-diffusible, closed and invalid SIRETs, and a public entity', async ({ page, request }) => {
  const address = newAddress('siret');
  await loggedInAccount(page, request, address);

  await searchSiret(page, '90100003400016');
  await expect(page.getByLabel('Raison sociale')).toHaveValue('CABINET CONSEIL HORIZON');
  await expect(page.getByRole('checkbox', { name: 'Non diffusible' })).toBeChecked();
  await expect(page.getByRole('group', { name: 'Adresse postale' })).toHaveCount(0);

  await searchSiret(page, '90100001800027');
  await expect(page.getByRole('alert')).toHaveText('Cet établissement est fermé dans le répertoire SIRENE : il ne peut pas être créé.');
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cet établissement est fermé dans le répertoire SIRENE : il ne peut pas être créé.');

  await searchSiret(page, '90100001800018');
  await expect(page.getByText('Ce SIRET n’est pas valide (clé de contrôle incorrecte).')).toBeVisible();
  await expect(page.getByLabel('Identifiant', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // A public entity waits for Support: attachments.spec.ts creates the
  // sample's commune and has Support approve it.
  await searchSiret(page, '90100005900013');
  await expect(page.getByText('Structure d’une entité publique')).toBeVisible();
});

for (const mode of ['normal', 'accessibility'] as const) {
  test(`the structure pages have no axe violation in ${mode} mode`, async ({ page, request, context }) => {
    await setDisplay(context, { accessibility: mode === 'accessibility' });
    const address = newAddress(`axe-structures-${mode}`);
    await loggedInAccount(page, request, address);
    await expect(page.getByText('Vous n’êtes rattaché à aucune structure.')).toBeVisible();
    await expectNoAxeViolations(page, `Mes structures, empty (${mode})`);
    await searchSiret(page, mode === 'normal' ? '90100007500019' : '90100007500027');
    await expect(page.getByLabel('Raison sociale')).toHaveValue('BOULANGERIE DU MARCHE');
    await expectNoAxeViolations(page, `create with the directory's details (${mode})`);
    await page.getByRole('button', { name: 'Soumettre' }).click();
    await expect(page.getByRole('status')).toBeVisible();
    await openHydrated(page, '/mes-structures');
    await expect(page.getByRole('table')).toBeVisible();
    await expectNoAxeViolations(page, `Mes structures, one line (${mode})`);
  });
}

test('a manager keeps the services; a stranger is refused by the server itself', async ({ page, request, browser }) => {
  const address = newAddress('services');
  await loggedInAccount(page, request, address);
  await searchSiret(page, '90100002600012');
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('status')).toContainText('MENUISERIE DUBOIS ET FILS');
  await openServices(page, 'MENUISERIE DUBOIS ET FILS');
  await expect(page.getByRole('heading', { name: 'Services de la structure MENUISERIE DUBOIS ET FILS' })).toBeVisible();
  await expect(page.getByText('Cette structure n’a aucun service.')).toBeVisible();
  const structureId = page.url().match(/structures\/(\d+)\/services/)![1];

  await submitService(page, 'ACHATS', 'Service achats');
  await expect(page.getByRole('status')).toHaveText('Le service a été ajouté.');
  const row = page.getByRole('row').filter({ hasText: 'ACHATS' });
  await expect(row).toContainText('Actif');
  await submitService(page, 'ACHATS', 'Doublon');
  await expect(page.getByRole('alert')).toHaveText('Cette structure a déjà un service avec ce code.');
  await page.getByRole('button', { name: 'Désactiver le service ACHATS' }).click();
  await expect(row).toContainText('Inactif');
  await expectNoAxeViolations(page, 'services page');
  await openHydrated(page, '/mes-structures');
  await expect(page.getByRole('row').filter({ hasText: 'MENUISERIE' }).getByRole('cell').nth(3)).toHaveText('1');

  // A user with no standing on the structure: the page and the endpoint
  // refuse, and say nothing of the structure (H6: not found).
  const other = await userInOwnContext(browser, newAddress('services-intrus'));
  await openHydrated(other.page, `/structures/${structureId}/services`);
  await expect(other.page.getByRole('alert')).toHaveText('Cet élément n’existe pas ou plus.');
  const response = await callServerFunction(other.request, 'service-add', {
    structure_id: structureId, code: 'INTRUS', label: 'Intrus',
  });
  expect(response.status()).toBe(404);
  await other.close();
  await openHydrated(page, `/structures/${structureId}/services`);
  await expect(page.getByRole('row').filter({ hasText: 'ACHATS' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'INTRUS' })).toHaveCount(0);
});
