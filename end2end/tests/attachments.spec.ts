import { expect, test } from '@playwright/test';
import { EN, FR, newAddress, userInOwnContext, userMenu } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { resetClock } from '../helpers/clock';
import { addApp, logInAgainWithApp } from '../helpers/factors';
import { mailTo } from '../helpers/mailbox';
import { expectNoAxeViolations, openHydrated, setDisplay, waitForHydration, type Display } from '../helpers/pages';
import { addService, createStructure } from '../helpers/structures';

// Rules S2, S5–S10 and H6: the first-login choice, *Demander un
// rattachement*, the manager's decision, *Mes rattachements*, *Historique de
// mes demandes*, *Me détacher*, and Support's approval. The SIRETs are those
// of the sample directory (server/data/sirene/README.md) that no other suite
// creates.

// Each test signs up two or three accounts (each solving the sign-up
// captcha's proof of work) before its own steps: 30 s is too tight on 2 cores.
test.describe.configure({ timeout: 90_000 });
// Support logs in with an app, which moves the server's clock.
test.afterEach(({ request }) => resetClock(request));

test('B asks to join two services of A’s structure, A approves, B leaves one service', async ({ browser }) => {
  const name = 'INFORMATIQUE ET FACTURES';
  const a = await userInOwnContext(browser, newAddress('gestionnaire'), { lastName: 'Martin', firstName: 'Alice' });
  // The first login offers both ways in, with the warning (S2, S9).
  await expect(a.page).toHaveURL(/\/mes-structures$/);
  await expect(a.page.getByRole('link', { name: 'Créer une nouvelle structure' })).toBeVisible();
  await expect(a.page.getByRole('link', { name: 'Demander un rattachement à une structure' })).toBeVisible();
  await expect(a.page.getByRole('note')).toContainText('Ne rattachez jamais votre compte à la structure d’un de vos clients');
  await createStructure(a.page, '90100008300013', name);
  await addService(a.page, name, 'ACHATS', 'Service achats');
  await addService(a.page, name, 'VENTES', 'Service ventes');
  await addService(a.page, name, 'COMPTA', 'Comptabilité');

  const b = await userInOwnContext(browser, newAddress('demandeur'), { lastName: 'Durand', firstName: 'Bruno' });
  await b.page.getByRole('link', { name: 'Demander un rattachement à une structure' }).click();
  await expect(b.page.getByRole('heading', { name: 'Demander un rattachement à une structure' })).toBeVisible();
  await waitForHydration(b.page);
  await b.page.getByLabel('Libellé de la structure').fill('informatique et');
  await expect(b.page.getByRole('status')).toHaveText('1 structure(s) trouvée(s)');
  await b.page.getByLabel('Libellé de la structure').fill('90100008');
  await b.page.getByRole('button', { name: `Choisir ${name} (90100008300013)` }).click();
  await expect(b.page.getByText(`Structure choisie : ${name} (90100008300013)`)).toBeVisible();

  // The comment is mandatory; services are ticked from a searchable list.
  await b.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(b.page.getByText('Le commentaire est obligatoire.')).toBeVisible();
  await b.page.getByLabel('Commentaire').fill('Je tiens la comptabilité fournisseurs.');
  await b.page.getByLabel('Je souhaite faire un rattachement à la maille service').check();
  await b.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(b.page.getByRole('alert')).toContainText('Cochez au moins un service');
  await b.page.getByLabel('Rechercher un service').fill('achat');
  await expect(b.page.getByRole('checkbox', { name: /^VENTES/ })).toHaveCount(0);
  await b.page.getByRole('checkbox', { name: 'ACHATS – Service achats' }).check();
  await b.page.getByLabel('Rechercher un service').fill('');
  await b.page.getByRole('checkbox', { name: 'VENTES – Service ventes' }).check();
  await b.page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(b.page.getByRole('status')).toContainText(`Votre demande de rattachement à ${name} a été envoyée.`);

  // Until approval B cannot act for the structure, nor decide anything (H6):
  // not attached, B is told nothing of it (404).
  const history = await (await callServerFunction(b.request, 'request-history', { page: 0 })).json();
  const requestId = history.rows[0].id;
  expect((await callServerFunction(b.request, 'decide-request', { request_id: requestId, approve: true, reason: '' })).status()).toBe(404);
  expect((await (await callServerFunction(b.request, 'pending-requests', { page: 0 })).json()).total).toBe(0);

  const asked = await mailTo(a.request, a.address, `Demande de rattachement à ${name}`);
  expect(asked.text).toContain(b.address);
  expect(asked.text).toContain('Je tiens la comptabilité fournisseurs.');
  await openHydrated(a.page, '/demandes-de-rattachement');
  const item = a.page.getByRole('listitem').filter({ hasText: 'Bruno Durand' });
  await expect(item).toContainText('Services : ACHATS, VENTES');
  await expect(item).toContainText('Je tiens la comptabilité fournisseurs.');
  await a.page.getByLabel('Motif pour Bruno Durand (facultatif)').fill('Bienvenue au service achats.');
  await a.page.getByRole('button', { name: 'Approuver la demande de Bruno Durand' }).click();
  await expect(a.page.getByRole('status')).toHaveText('La demande de Bruno Durand est approuvée.');
  await expect(a.page.getByText('Aucune demande de rattachement en attente')).toBeVisible();

  const approved = await mailTo(b.request, b.address, `Rattachement à ${name} approuvé`);
  expect(approved.text).toContain('Bienvenue au service achats.');
  await openHydrated(b.page, '/historique-de-mes-demandes');
  const line = b.page.getByRole('row').filter({ hasText: name });
  await expect(line).toContainText('Approuvée');
  await expect(line).toContainText('Alice Martin');
  await expect(line).toContainText('Services : ACHATS, VENTES');
  for (const column of ['Date', 'Structure', 'Objet', 'Statut', 'Approbateur', 'Motif']) {
    await expect(b.page.getByRole('columnheader', { name: column })).toBeVisible();
  }

  await openHydrated(b.page, '/mes-rattachements');
  const mine = b.page.getByRole('listitem').filter({ hasText: name }).first();
  await expect(mine.getByRole('checkbox')).toHaveCount(2);
  await mine.getByRole('checkbox', { name: 'ACHATS – Service achats' }).check();
  await mine.getByRole('button', { name: `Me détacher des services cochés de ${name}` }).click();
  await expect(b.page.getByRole('status')).toHaveText(`Vous êtes détaché des services choisis de ${name}.`);
  await expect(b.page.getByRole('checkbox', { name: 'ACHATS – Service achats' })).toHaveCount(0);
  await expect(b.page.getByRole('checkbox', { name: 'VENTES – Service ventes' })).toBeVisible();

  // The primary manager is told to transfer the role; the server refuses too.
  await openHydrated(a.page, '/mes-rattachements');
  await expect(a.page.getByText('Gestionnaire principal : transférez d’abord ce rôle')).toBeVisible();
  await expect(a.page.getByRole('button', { name: `Me détacher de ${name}` })).toHaveCount(0);
  const structureId = (await (await callServerFunction(a.request, 'my-attachments', { page: 0 })).json()).rows[0].structure_id;
  const refused = await callServerFunction(a.request, 'detach', { structure_id: structureId });
  expect(refused.status()).toBe(409);
  await a.close();
  await b.close();
});

test('Support approves a public entity’s structure; nobody else may', async ({ browser }) => {
  const creator = await userInOwnContext(browser, newAddress('commune'), { lastName: 'Petit', firstName: 'Claire' });
  await createStructure(creator.page, '90100005900013', 'COMMUNE DE SAINT-EXEMPLE');
  await expect(creator.page.getByRole('status')).toContainText('sera active après validation par le support');
  await openHydrated(creator.page, '/mes-structures');
  await expect(creator.page.getByRole('row').filter({ hasText: 'COMMUNE DE SAINT-EXEMPLE' })).toContainText('En attente de validation');
  await openHydrated(creator.page, '/support/structures');
  await expect(creator.page.getByRole('alert')).toHaveText('Vous n’êtes pas autorisé à effectuer cette action.');
  expect((await callServerFunction(creator.request, 'awaiting-structures', { page: 0 })).status()).toBe(403);

  // Support's pages need a session opened with an app or a key (rule U2).
  const support = await userInOwnContext(browser, 'support-e2e@example.fr', { lastName: 'Support', firstName: 'Équipe' });
  const page = support.page;
  await logInAgainWithApp(page, support.request, support.address, await addApp(page, support.request));
  // Support's page is in the user's menu.
  await userMenu(page).click();
  await page.getByRole('link', { name: 'Support', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Structures d’entités publiques à valider' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'COMMUNE DE SAINT-EXEMPLE' });
  await expect(row).toContainText(creator.address);
  await page.getByRole('button', { name: 'Valider la structure COMMUNE DE SAINT-EXEMPLE' }).click();
  await expect(page.getByRole('status')).toHaveText('La structure COMMUNE DE SAINT-EXEMPLE est active.');
  await expect(row).toHaveCount(0);

  await mailTo(creator.request, creator.address, 'Structure COMMUNE DE SAINT-EXEMPLE validée');
  await openHydrated(creator.page, '/mes-structures');
  await expect(creator.page.getByRole('row').filter({ hasText: 'COMMUNE DE SAINT-EXEMPLE' })).toContainText('Active');
  await support.close();
  await creator.close();
});

for (const mode of ['normal', 'accessibility'] as const) {
  test(`the attachment pages have no axe violation in ${mode} mode`, async ({ browser }) => {
    // The accessibility mode is checked in English, the other in French.
    const t = mode === 'normal' ? FR : EN;
    const display: Display = mode === 'normal' ? { accessibility: false } : { accessibility: true, language: 'en' };
    const [siret, name] = mode === 'normal' ? ['90100006700016', "MINISTERE DE L'EXEMPLE"] : ['35600000010000', 'LA POSTE'];
    const manager = await userInOwnContext(browser, newAddress(`axe-gestion-${mode}`), { lastName: 'Axe', firstName: 'Gestion' });
    await createStructure(manager.page, siret, name);
    await addService(manager.page, name, 'ACCUEIL', 'Accueil');

    const asker = await userInOwnContext(browser, newAddress(`axe-demande-${mode}`), { lastName: 'Axe', firstName: 'Demande' }, t, display);
    const p = asker.page;
    await openHydrated(p, '/rattachements/demander');
    await p.getByLabel(mode === 'normal' ? 'Libellé de la structure' : 'Structure name').fill(name.slice(0, 6));
    await expect(p.getByRole('button', { name: new RegExp(`^${mode === 'normal' ? 'Choisir' : 'Choose'} `) }).first()).toBeVisible();
    await expectNoAxeViolations(p, `search results (${mode})`);
    await p.getByRole('button', { name: `${mode === 'normal' ? 'Choisir' : 'Choose'} ${name} (${siret})` }).click();
    await p.getByLabel(mode === 'normal' ? 'Commentaire' : 'Comment').fill('Assistant de direction');
    await p.getByLabel(mode === 'normal' ? 'Je souhaite faire un rattachement à la maille service' : 'I want to be attached at service level').check();
    await expect(p.getByRole('checkbox', { name: 'ACCUEIL – Accueil' })).toBeVisible();
    await expectNoAxeViolations(p, `request form with services (${mode})`);
    await p.getByRole('checkbox', { name: 'ACCUEIL – Accueil' }).check();
    await p.getByRole('button', { name: t.submit }).click();
    await expect(p.getByRole('status')).toBeVisible();
    await openHydrated(p, '/historique-de-mes-demandes');
    await expect(p.getByRole('row').filter({ hasText: name })).toContainText(mode === 'normal' ? 'En attente' : 'Pending');
    await expectNoAxeViolations(p, `history (${mode})`);

    const m = manager.page;
    if (mode === 'accessibility') {
      await setDisplay(manager.page.context(), display);
    }
    await openHydrated(m, '/demandes-de-rattachement');
    await expect(m.getByRole('listitem').filter({ hasText: 'Demande Axe' })).toBeVisible();
    await expectNoAxeViolations(m, `requests to handle (${mode})`);
    await m.getByRole('button', { name: mode === 'normal' ? 'Approuver la demande de Demande Axe' : 'Approve the request of Demande Axe' }).click();
    await expect(m.getByRole('status')).toBeVisible();
    await openHydrated(m, '/mes-rattachements');
    await expectNoAxeViolations(m, `attachments of the primary manager (${mode})`);
    await openHydrated(p, '/mes-rattachements');
    await expect(p.getByRole('checkbox', { name: 'ACCUEIL – Accueil' })).toBeVisible();
    await expectNoAxeViolations(p, `attachments of a service-level member (${mode})`);
    await manager.close();
    await asker.close();
  });
}
