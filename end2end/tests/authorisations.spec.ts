import { expect, test, type Locator, type Page } from '@playwright/test';
import { EN, newAddress, userInOwnContext } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { mailTo } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated } from '../helpers/pages';
import { createForeignStructure } from '../helpers/structures';

// Rules H1–H5, M2, M3 (first part): *Mes habilitations* lists the caller's profiles
// per structure, from the catalogue (data) in the page's language: the
// creator holds Organisation modification (a manager), an approved member
// the defaults (Organisation consultation, the rest modification).

test.describe.configure({ timeout: 90_000 });

/** The panel of *Mes habilitations* for the structure `name (identifier)`. */
function panelOf(page: Page, name: string, identifier: string): Locator {
  return page.getByRole('listitem').filter({
    has: page.getByRole('heading', { name: `${name} (${identifier})`, exact: true }),
  });
}

/** The level shown on the row of `application` in a panel. */
function levelOf(panel: Locator, application: string): Locator {
  return panel
    .getByRole('row')
    .filter({ has: panel.page().getByRole('rowheader', { name: application, exact: true }) })
    .getByRole('cell')
    .last();
}

test('the creator manages; an approved member holds the default profiles, in both languages', async ({ browser }) => {
  const identifier = `HAB-${Date.now()}`;
  const name = 'HABILITATIONS EXEMPLE LTD';
  const a = await userInOwnContext(browser, newAddress('habilitations-a'));
  await createForeignStructure(a.page, identifier, name);

  await openHydrated(a.page, '/mes-habilitations');
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Mes habilitations');
  const mine = panelOf(a.page, name, identifier);
  await expect(mine).toContainText('Gestionnaire principal');
  await expect(mine.getByRole('table', { name: `Vos profils sur ${name}` })).toBeVisible();
  for (const column of ['Domaine', 'Application', 'Niveau']) {
    await expect(mine.getByRole('columnheader', { name: column })).toBeVisible();
  }
  await expect(levelOf(mine, 'Organisation')).toHaveText('Modification');
  await expect(levelOf(mine, 'Factures émises')).toHaveText('Modification');
  await expect(levelOf(mine, 'Mémoires de frais de justice')).toHaveText('Modification');
  await expectNoAxeViolations(a.page, 'Mes habilitations');

  // B joins through a request that A approves.
  const b = await userInOwnContext(browser, newAddress('habilitations-b'), undefined, EN, { language: 'en', accessibility: true });
  const structures = await callServerFunction(a.request, 'my-attachments', { page: 0 });
  const structureId = (await structures.json()).rows[0].structure_id;
  const asked = await callServerFunction(b.request, 'request-attachment', { structure_id: structureId, comment: 'Comptable' });
  expect(asked.status()).toBe(200);
  const pending = await (await callServerFunction(a.request, 'pending-requests', { page: 0 })).json();
  const decided = await callServerFunction(a.request, 'decide-request', { request_id: pending.rows[0].id, approve: true, reason: '' });
  expect(decided.status()).toBe(200);

  // B reads the defaults in English, in the accessibility mode.
  await openHydrated(b.page, '/mes-habilitations');
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('My authorisations');
  const theirs = panelOf(b.page, name, identifier);
  await expect(theirs).toContainText('Attached');
  await expect(theirs.getByRole('table', { name: `Your profiles on ${name}` })).toBeVisible();
  await expect(levelOf(theirs, 'Organisation')).toHaveText('Consultation');
  await expect(levelOf(theirs, 'Issued invoices')).toHaveText('Modification');
  await expect(levelOf(theirs, 'Technical account')).toHaveText('Modification');
  await expectNoAxeViolations(b.page, 'My authorisations, accessibility mode');

  // Nobody reads another user's authorisations: the list is the caller's own.
  const other = await userInOwnContext(browser, newAddress('habilitations-c'));
  const none = await (await callServerFunction(other.request, 'my-authorisations', { page: 0 })).json();
  expect(none.total).toBe(0);
  await openHydrated(other.page, '/mes-habilitations');
  await expect(other.page.getByText('Vous n’êtes rattaché à aucune structure : vous n’avez aucune habilitation.')).toBeVisible();
  // Anonymous: refused.
  const anonymous = await browser.newContext();
  expect((await callServerFunction(anonymous.request, 'my-authorisations', { page: 0 })).status()).toBe(401);
  await anonymous.close();
  await Promise.all([a.close(), b.close(), other.close()]);
});

test('a structure’s page lists its users to its managers only, filtered and sorted by the server', async ({ browser }) => {
  const identifier = `M2-${Date.now()}`;
  const name = 'FICHE EXEMPLE LTD';
  const a = await userInOwnContext(browser, newAddress('fiche-a'), { lastName: 'Martin', firstName: 'Alice' });
  await createForeignStructure(a.page, identifier, name);
  const b = await userInOwnContext(browser, newAddress('fiche-b'), { lastName: 'Durand', firstName: 'Élodie' }, EN, { language: 'en' });
  const structureId = (await (await callServerFunction(a.request, 'my-attachments', { page: 0 })).json()).rows[0].structure_id;
  expect((await callServerFunction(b.request, 'request-attachment', { structure_id: structureId, comment: 'Comptable' })).status()).toBe(200);
  const pending = await (await callServerFunction(a.request, 'pending-requests', { page: 0 })).json();
  expect((await callServerFunction(a.request, 'decide-request', { request_id: pending.rows[0].id, approve: true, reason: '' })).status()).toBe(200);

  // From *Mes structures*, the manager opens the structure's page.
  await openHydrated(a.page, '/mes-structures');
  await a.page.getByRole('link', { name: `Fiche structure de ${name}` }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText(`${name} (${identifier})`);
  await expect(a.page.getByText(`Gestionnaire principal : Alice Martin (${a.address})`)).toBeVisible();
  for (const column of ['Nom', 'Prénom', 'Adresse de connexion', 'Rôle', 'Statut utilisateur', 'Date de réactivation',
    'Date dernière connexion', 'Statut du rattachement', 'Actions']) {
    await expect(a.page.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  }
  const rows = a.page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Durand');
  await expect(rows.nth(1)).toContainText('Rattaché');
  await expect(rows.nth(2)).toContainText('Gestionnaire principal');
  await expectNoAxeViolations(a.page, 'structure page');

  // The CSV export: every user, for the managers.
  const download = a.page.waitForEvent('download');
  await a.page.getByRole('link', { name: 'Exporter au format CSV' }).click();
  const text = (await import('node:fs')).readFileSync(await (await download).path(), 'utf-8');
  const lines = text.slice(1).trim().split(/\r?\n/).map((line) => line.split(';'));
  expect(lines[0].slice(0, 4)).toEqual(['Nom', 'Prénom', 'Adresse de connexion', 'Rôle']);
  expect(lines.slice(1).map((line) => line[2]).sort()).toEqual([a.address, b.address].sort());

  // The server sorts: *Nom* again turns the order over.
  const byName = a.page.getByRole('columnheader', { name: 'Nom', exact: true });
  await expect(byName).toHaveAttribute('aria-sort', 'ascending');
  await byName.getByRole('button').click();
  await expect(byName).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(1)).toContainText('Martin');
  // And filters, ignoring case and accents.
  await a.page.getByLabel('Filtrer par nom, prénom ou adresse de connexion').fill('ELODIE');
  await a.page.getByLabel('Filtrer par nom, prénom ou adresse de connexion').press('Enter');
  await expect(a.page.getByRole('status')).toHaveText('1 utilisateur(s)');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(b.address);

  // The manager restricts B to consultation on *Factures émises* (H5).
  await a.page.getByLabel('Filtrer par nom, prénom ou adresse de connexion').fill('');
  await a.page.getByLabel('Filtrer par nom, prénom ou adresse de connexion').press('Enter');
  // The whole list back before the click: the rows are redrawn in place when
  // it arrives, and a click on the filtered list's row could land on the
  // row that replaces it (Martin first, the order being descending).
  await expect(a.page.getByRole('status')).toHaveText('2 utilisateur(s)');
  await expect(rows).toHaveCount(3);
  await a.page.getByRole('link', { name: 'Habilitations de Élodie Durand' }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Habilitations de Élodie Durand');
  await a.page.getByLabel('Profil recherché').fill('factures');
  await expect(a.page.getByLabel('Compte technique')).toBeHidden();
  await a.page.getByLabel('Factures émises').selectOption('consultation');
  await a.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(a.page.getByRole('status')).toHaveText('Habilitations enregistrées (1 profil(s) modifié(s)).');
  await expectNoAxeViolations(a.page, 'a member’s authorisations');

  // B sees it, may not raise it back, may lower another of their own.
  await openHydrated(b.page, '/mes-habilitations');
  const theirs = panelOf(b.page, name, identifier);
  await expect(levelOf(theirs, 'Issued invoices')).toHaveText('Consultation');
  await theirs.getByRole('link', { name: `Manage my authorisations on ${name}` }).click();
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Authorisations of Élodie Durand');
  await b.page.getByLabel('Issued invoices').selectOption('modification');
  await b.page.getByRole('button', { name: 'Submit' }).click();
  await expect(b.page.getByRole('status')).toHaveText(
    "Authorisations saved (0 profile(s) changed); 1 request(s) sent to the structure's managers.");
  await b.page.getByLabel('Issued invoices').selectOption('consultation');
  await b.page.getByLabel('Technical account').selectOption('');
  await b.page.getByRole('button', { name: 'Submit' }).click();
  await expect(b.page.getByRole('status')).toHaveText('Authorisations saved (1 profile(s) changed).');
  await openHydrated(b.page, '/mes-habilitations');
  await expect(panelOf(b.page, name, identifier).getByRole('rowheader', { name: 'Technical account' })).toHaveCount(0);

  // A approves B's request in *Demandes à traiter*; B sees the change and
  // the request in their history, with its *Approbateur* (H4, S7).
  await openHydrated(a.page, '/demandes-de-rattachement');
  await expect(a.page.getByRole('heading', { name: 'Demandes d’habilitation' })).toBeVisible();
  await a.page.getByRole('button', { name: 'Approuver la demande de Élodie Durand (Factures émises)' }).click();
  await expect(a.page.getByRole('status')).toHaveText('La demande de Élodie Durand (Factures émises) est approuvée.');
  await expect(a.page.getByText('Aucune demande d’habilitation en attente.')).toBeVisible();
  await openHydrated(b.page, '/mes-habilitations');
  await expect(levelOf(panelOf(b.page, name, identifier), 'Issued invoices')).toHaveText('Modification');
  await openHydrated(b.page, '/historique-de-mes-demandes');
  const asked = b.page.getByRole('table', { name: 'Authorisation requests' }).getByRole('row').filter({ hasText: name });
  await expect(asked).toContainText('Issued invoices – Modification');
  await expect(asked).toContainText('Approved');
  await expect(asked).toContainText('Alice Martin');

  // A member who does not manage it is refused, a stranger told nothing.
  await openHydrated(b.page, `/structures/${structureId}`);
  await expect(b.page.getByRole('alert')).toHaveText('You are not allowed to do this.');
  await expect(b.page.getByText(a.address)).toHaveCount(0);
  const listing = { 'listing[filter]': '', 'listing[sort]': 'LastName', 'listing[descending]': false };
  const asMember = await callServerFunction(b.request, 'structure-members', { structure_id: structureId, page: 0, ...listing });
  expect(asMember.status()).toBe(403);
  const other = await userInOwnContext(browser, newAddress('fiche-c'));
  const asStranger = await callServerFunction(other.request, 'structure-members', { structure_id: structureId, page: 0, ...listing });
  expect(asStranger.status()).toBe(404);

  // A suspends B's access, then restores it (M2): the table says so.
  await openHydrated(a.page, `/structures/${structureId}`);
  const rowOf = (who: string) => a.page.getByRole('table').getByRole('row').filter({ hasText: who });
  await a.page.getByRole('checkbox', { name: 'Sélectionner Élodie Durand' }).check();
  await a.page.getByRole('button', { name: 'Désactiver des utilisateurs' }).click();
  await expect(a.page.getByRole('status').first()).toHaveText('Utilisateurs désactivés : 1.');
  await expect(rowOf('Durand')).toContainText('Désactivé');
  expect((await callServerFunction(b.request, 'member-profiles', { structure_id: structureId, user_id: 0 })).status()).toBe(404);
  await a.page.getByRole('checkbox', { name: 'Sélectionner Élodie Durand' }).check();
  await a.page.getByRole('button', { name: 'Réactiver des utilisateurs' }).click();
  await expect(a.page.getByRole('status').first()).toHaveText('Utilisateurs réactivés : 1.');
  await expect(rowOf('Durand')).toContainText('Validé');
  await expect(rowOf('Durand').getByRole('cell').nth(5)).toHaveText(/^\d{2}\/\d{2}\/\d{4}$/);
  // The primary manager cannot be suspended.
  await a.page.getByRole('checkbox', { name: 'Sélectionner Alice Martin' }).check();
  await a.page.getByRole('button', { name: 'Désactiver des utilisateurs' }).click();
  await expect(a.page.getByRole('alert')).toHaveText('Le gestionnaire principal ne peut être ni désactivé ni supprimé : transférez d’abord ce rôle.');

  // C joins, then A removes C from the structure, after confirming.
  expect((await callServerFunction(other.request, 'request-attachment', { structure_id: structureId, comment: 'Stagiaire' })).status()).toBe(200);
  const joining = await (await callServerFunction(a.request, 'pending-requests', { page: 0 })).json();
  expect((await callServerFunction(a.request, 'decide-request', { request_id: joining.rows[0].id, approve: true, reason: '' })).status()).toBe(200);
  await openHydrated(a.page, `/structures/${structureId}`);
  await expect(a.page.getByRole('table').getByRole('row')).toHaveCount(4);
  await a.page.getByRole('checkbox', { name: 'Sélectionner Marie Curie' }).check();
  a.page.once('dialog', (dialog) => dialog.accept());
  await a.page.getByRole('button', { name: 'Supprimer les utilisateurs sélectionnés' }).click();
  await expect(a.page.getByRole('status').first()).toHaveText('Utilisateurs supprimés de la structure : 1.');
  await expect(a.page.getByRole('table').getByRole('row')).toHaveCount(3);
  expect((await callServerFunction(other.request, 'structure-members', { structure_id: structureId, page: 0, ...listing })).status()).toBe(404);

  // A hands the primary manager role to B (M3), after confirming; both are
  // told; A may now leave the structure.
  await openHydrated(a.page, `/structures/${structureId}`);
  a.page.once('dialog', async (dialog) => {
    expect(dialog.message()).toContain('Transférer le rôle de gestionnaire principal de la structure à Élodie Durand ?');
    await dialog.accept();
  });
  await a.page.getByRole('button', { name: 'Désigner gestionnaire principal : Élodie Durand' }).click();
  await expect(a.page.getByRole('status').first()).toHaveText('Élodie Durand est désormais gestionnaire principal de la structure. Vous en restez gestionnaire.');
  await expect(a.page.getByText(`Gestionnaire principal : Élodie Durand (${b.address})`)).toBeVisible();
  await expect(a.page.getByRole('button', { name: /Désigner gestionnaire principal/ })).toHaveCount(0);
  const told = await mailTo(b.request, b.address, `You are the primary manager of ${name}`);
  expect(told.text).toContain('Alice Martin handed you the primary manager role');
  // The *Approbateur* of the histories follows the role (M3).
  await openHydrated(b.page, '/historique-de-mes-demandes');
  const after = b.page.getByRole('table', { name: 'Authorisation requests' }).getByRole('row').filter({ hasText: name });
  await expect(after).toContainText('Élodie Durand');
  await expect(after).not.toContainText('Alice Martin');
  await openHydrated(a.page, '/mes-rattachements');
  await expect(a.page.getByRole('button', { name: `Me détacher de ${name}` })).toBeVisible();
  await Promise.all([a.close(), b.close(), other.close()]);
});
