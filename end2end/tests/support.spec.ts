import { expect, test, type Page } from '@playwright/test';
import { logIn, newAddress, userInOwnContext, userMenu } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { resetClock } from '../helpers/clock';
import { addApp, logInAgainWithApp } from '../helpers/factors';
import { linkIn, mailTo } from '../helpers/mailbox';
import { DisplayTools, expectNoAxeViolations, openHydrated, reloadHydrated } from '../helpers/pages';
import { createStructure } from '../helpers/structures';
import { readFileSync } from 'node:fs';

// Rule U2 (issue 14): Support's ticket desk. A visitor locked out of their
// login address writes from *Nous contacter*; Support, logged in with an
// authenticator app, finds the ticket, answers it (the visitor receives
// the answer), changes the user's login address through the link sent to
// the new one (the unblocking procedure of seed 000: the user then logs in
// with it) and closes the ticket. Support logged in with the e-mailed code is
// told to log in with an app; anyone else is refused every page and
// server function of the desk.
//
// Then Support's decisions: a public entity's structure refused with a
// reason its creator receives; an account deactivated with a reason (its
// sessions end), found again in the audit log filtered to that user,
// exported as CSV, and reactivated.

test.describe.configure({ timeout: 120_000 });
test.afterEach(({ request }) => resetClock(request));

const AGENT = 'support-desk-e2e@example.fr';

/** Sends a *Problème de connexion* ticket as a visitor; returns its number. */
async function sendTicket(page: Page, answerTo: string, loginAddress: string): Promise<string> {
  await openHydrated(page, '/nous-contacter');
  await page.getByLabel('Sélectionnez la situation').selectOption({ label: 'Problème de connexion' });
  await page.getByLabel('Adresse mail', { exact: true }).fill(answerTo);
  await page.getByLabel('Confirmez votre adresse mail').fill(answerTo);
  await page.getByLabel('Adresse mail de connexion concernée').fill(loginAddress);
  await page.getByLabel('Description').fill('Mon adresse de connexion ne reçoit plus de messages.\nMerci de m’aider.');
  await expect(page.getByText('Vérification anti-robot terminée.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Soumettre' }).click();
  const sent = page.getByRole('status').filter({ hasText: 'est envoyé' });
  await expect(sent).toBeVisible();
  return (await sent.textContent())!.match(/SUP-\d{6}/)![0];
}

test('Support answers a locked-out user’s ticket, moves their login address, and closes it', async ({ browser, page, request }) => {
  // An account whose login address no longer receives mail; its owner
  // writes from a new address, as a visitor.
  const blocked = newAddress('bloque');
  const owner = await userInOwnContext(browser, blocked);
  await owner.close();
  const answerTo = newAddress('guichet');
  const number = await sendTicket(page, answerTo, blocked);

  // Logged in with the e-mailed code, Support is asked for an app first.
  const support = await userInOwnContext(browser, AGENT, { lastName: 'Guichet', firstName: 'Agent' });
  const desk = support.page;
  await openHydrated(desk, '/support/tickets');
  await expect(desk.getByRole('alert')).toContainText('demandent une connexion avec une application d’authentification');
  await logInAgainWithApp(desk, support.request, support.address, await addApp(desk, support.request));

  // The queue, from the user's menu; filtered to this ticket.
  await userMenu(desk).click();
  await desk.getByRole('link', { name: 'Tickets du support' }).click();
  await expect(desk.getByRole('heading', { name: 'Tickets du support', level: 1 })).toBeVisible();
  await desk.getByLabel('Statut').selectOption({ label: 'Ouvert' });
  await desk.getByLabel('Situation').selectOption({ label: 'Problème de connexion' });
  await desk.getByLabel('Adresse mail ou numéro de ticket').fill(answerTo);
  await desk.getByRole('button', { name: 'Rechercher' }).click();
  const row = desk.getByRole('row').filter({ hasText: number });
  await expect(row).toContainText(answerTo);
  await expect(desk.getByRole('row')).toHaveCount(2);
  await expectNoAxeViolations(desk, 'Support tickets, filtered');
  // The number alone finds it too.
  await desk.getByLabel('Statut').selectOption({ label: 'Tous les statuts' });
  await desk.getByLabel('Situation').selectOption({ label: 'Toutes les situations' });
  await desk.getByLabel('Adresse mail ou numéro de ticket').fill(number.toLowerCase());
  await desk.getByLabel('Adresse mail ou numéro de ticket').press('Enter');
  await expect(desk.getByRole('row')).toHaveCount(2);

  // The ticket: what the visitor wrote, and the login address concerned.
  await row.getByRole('link', { name: number }).click();
  await expect(desk.getByRole('heading', { name: `Ticket ${number}`, level: 1 })).toBeVisible();
  await expect(desk.locator('.details')).toContainText(blocked);
  await expect(desk.getByText('Un visiteur (non connecté)')).toBeVisible();
  await expect(desk.getByText('Mon adresse de connexion ne reçoit plus de messages.')).toBeVisible();
  await expect(desk.getByText('Aucune réponse pour l’instant.')).toBeVisible();

  // An empty reply is refused in the page; a real one is sent, with the keyboard.
  await desk.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await expect(desk.getByLabel('Votre réponse')).toHaveAttribute('aria-invalid', 'true');
  const reply = 'Bonjour,\nnous avons vérifié votre identité : votre adresse de connexion va être changée.';
  await desk.getByLabel('Votre réponse').fill(reply);
  await desk.getByLabel('Votre réponse').press('Tab');
  await desk.keyboard.press('Enter');
  await expect(desk.getByRole('status')).toHaveText('La réponse a été envoyée par e-mail.');
  await expect(desk.locator('.ticket-thread')).toContainText('nous avons vérifié votre identité');
  await expect(desk.locator('.details')).toContainText('Répondu');
  await expectNoAxeViolations(desk, 'Support ticket, answered');

  // The visitor receives the answer, with the number.
  const mail = await mailTo(request, answerTo, `Réponse du support à votre demande ${number}`);
  expect(mail.text).toContain('votre adresse de connexion va être changée');

  // The unblocking procedure: a link to the new address, the old one told.
  await expect(desk.getByText(`Compte concerné : Marie Curie (${blocked})`)).toBeVisible();
  await expect(desk.getByLabel('Nouvelle adresse de connexion')).toHaveValue(answerTo);
  await desk.getByRole('button', { name: 'Envoyer le lien de confirmation' }).click();
  await expect(desk.getByRole('status')).toContainText(`Un lien de confirmation a été envoyé à ${answerTo}`);
  expect((await mailTo(request, blocked, 'Le support change votre adresse de connexion')).text).toContain(number);
  const link = linkIn(await mailTo(request, answerTo, 'Confirmez votre nouvelle adresse de connexion'));
  await openHydrated(page, link);
  await page.getByRole('button', { name: 'Confirmer le changement' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Votre adresse de connexion est désormais ${answerTo}` })).toBeVisible();
  await logIn(page, request, answerTo);

  // Closed, the ticket takes no reply until it is reopened.
  await desk.getByRole('button', { name: 'Clore le ticket' }).click();
  await expect(desk.getByRole('status')).toHaveText('Le ticket est clos.');
  await expect(desk.getByRole('button', { name: 'Envoyer la réponse' })).toHaveCount(0);
  const tools = new DisplayTools(desk);
  await tools.accessibilityButton('Mode accessibilité').click();
  await expectNoAxeViolations(desk, 'Support ticket, closed, accessibility mode');
  await tools.switchTo('English');
  await expect(desk.getByRole('heading', { name: `Ticket ${number}`, level: 1 })).toBeVisible();
  await desk.getByRole('button', { name: 'Reopen the ticket' }).click();
  await expect(desk.getByRole('status')).toHaveText('The ticket is reopened.');
  await expect(desk.getByRole('button', { name: 'Send the reply' })).toBeVisible();
  await desk.getByRole('link', { name: 'Back to the tickets' }).click();
  await expect(desk.getByRole('heading', { name: 'Support tickets', level: 1 })).toBeVisible();
  await support.close();
});

test('Support refuses a structure, deactivates an account, finds it in the audit log and exports it', async ({ browser, request }) => {
  const creator = await userInOwnContext(browser, newAddress('syndicat'), { lastName: 'Roux', firstName: 'Inès' });
  const structure = 'SYNDICAT DES EAUX DE L\'EXEMPLE';
  await createStructure(creator.page, '90100009100008', structure);
  await expect(creator.page.getByRole('status')).toContainText('sera active après validation par le support');

  const support = await userInOwnContext(browser, 'support-admin-e2e@example.fr', { lastName: 'Admin', firstName: 'Support' });
  const desk = support.page;
  await logInAgainWithApp(desk, support.request, support.address, await addApp(desk, support.request));

  // The refusal asks a reason, then deletes the structure and tells its creator.
  await openHydrated(desk, '/support/structures');
  await desk.getByRole('button', { name: `Refuser la structure ${structure}` }).click();
  await expect(desk.getByRole('heading', { name: `Refuser la structure ${structure}` })).toBeVisible();
  await expect(desk.getByLabel('Motif (communiqué par e-mail à la personne concernée)')).toBeFocused();
  await desk.getByRole('button', { name: 'Refuser et prévenir le créateur' }).click();
  await expect(desk.getByLabel('Motif (communiqué par e-mail à la personne concernée)')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(desk, 'Support structures, refusing');
  await desk.getByLabel('Motif (communiqué par e-mail à la personne concernée)').fill('Ce syndicat n’existe plus depuis 2024.');
  await desk.getByRole('button', { name: 'Refuser et prévenir le créateur' }).click();
  await expect(desk.getByRole('status')).toHaveText(`La structure ${structure} est refusée ; son créateur a reçu le motif par e-mail.`);
  await expect(desk.getByRole('row').filter({ hasText: structure })).toHaveCount(0);
  const refusal = await mailTo(request, creator.address, `Votre structure ${structure} (90100009100008) n’a pas été validée`);
  expect(refusal.text).toContain('Ce syndicat n’existe plus depuis 2024.');

  // The creator's account, deactivated with a reason: their session ends.
  await userMenu(desk).click();
  await desk.getByRole('link', { name: 'Comptes (support)' }).click();
  await desk.getByLabel('Adresse de connexion').fill(creator.address);
  await desk.getByLabel('Adresse de connexion').press('Enter');
  await expect(desk.getByRole('heading', { name: 'Inès Roux', level: 2 })).toBeVisible();
  await expect(desk.locator('.details')).toContainText('Actif');
  await expectNoAxeViolations(desk, 'Support accounts, an account');
  await desk.getByLabel('Motif (communiqué par e-mail à la personne concernée)').fill('Usurpation signalée par l’employeur.');
  await desk.getByRole('button', { name: 'Désactiver le compte' }).click();
  await expect(desk.getByRole('status')).toContainText('Le compte est désactivé');
  await expect(desk.locator('.details')).toContainText('Désactivé par le support');
  expect((await mailTo(request, creator.address, 'Votre compte a été désactivé par le support')).text).toContain('Usurpation signalée');
  await reloadHydrated(creator.page);
  await expect(creator.page.getByRole('link', { name: 'Se connecter' }).first()).toBeVisible();

  // Its history: the audit log filtered to that user, then exported.
  await desk.getByRole('link', { name: 'Voir son historique dans le journal d’audit' }).click();
  await expect(desk.getByRole('heading', { name: 'Journal d’audit', level: 1 })).toBeVisible();
  await expect(desk.getByLabel('Adresse de connexion de l’utilisateur')).toHaveValue(creator.address);
  const suspended = desk.getByRole('row').filter({ hasText: 'account.deactivated_by_support' });
  await expect(suspended).toContainText(support.address);
  await expect(suspended).toContainText('Usurpation signalée');
  await expect(desk.getByRole('row').filter({ hasText: 'structure.created' })).toContainText(creator.address);
  await desk.getByLabel('Type d’événement').fill('account.deactivated_by_support');
  await desk.getByRole('button', { name: 'Filtrer' }).click();
  await expect(desk.getByRole('row')).toHaveCount(2);
  await expectNoAxeViolations(desk, 'Support audit log, filtered');
  const download = desk.waitForEvent('download');
  await desk.getByRole('link', { name: 'Exporter au format CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf-8');
  const lines = csv.slice(1).trim().split(/\r?\n/);
  expect(lines[0].split(';').slice(0, 3)).toEqual(['Date (UTC)', 'Événement', 'Auteur']);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('account.deactivated_by_support');
  expect(lines[1]).toContain(creator.address);
  // A wrong period is told in the page.
  await desk.getByLabel('Du', { exact: true }).fill('2026-12-07');
  await desk.getByLabel('Au (inclus)', { exact: true }).fill('2026-12-01');
  await desk.getByRole('button', { name: 'Filtrer' }).click();
  await expect(desk.getByRole('alert')).toHaveText('La date de fin précède la date de début.');
  const tools = new DisplayTools(desk);
  await tools.accessibilityButton('Mode accessibilité').click();
  await tools.switchTo('English');
  await desk.getByLabel('From', { exact: true }).fill('');
  await desk.getByLabel('To (included)', { exact: true }).fill('');
  await desk.getByRole('button', { name: 'Filter' }).click();
  await expect(desk.getByRole('row')).toHaveCount(2);
  await expectNoAxeViolations(desk, 'Support audit log, accessibility mode, English');

  // Reactivated by Support, with a reason: the owner logs in again.
  await openHydrated(desk, '/support/comptes');
  await desk.getByLabel('Login address').fill(creator.address);
  await desk.getByRole('button', { name: 'Search' }).click();
  await expect(desk.locator('.details')).toContainText('Deactivated by Support');
  await expectNoAxeViolations(desk, 'Support accounts, accessibility mode, English');
  await desk.getByLabel('Reason (e-mailed to the person concerned)').fill('Identity checked.');
  await desk.getByRole('button', { name: 'Reactivate the account' }).click();
  await expect(desk.getByRole('status')).toContainText('The account is reactivated');
  expect((await mailTo(request, creator.address, 'Votre compte a été réactivé')).text).toContain('Identity checked.');
  await logIn(creator.page, creator.request, creator.address);
  await support.close();
  await creator.close();
});

test('nobody but Support reaches the ticket desk, the accounts or the audit log', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('curieux'));
  for (const path of ['/support/tickets', '/support/tickets/1', '/support/journal']) {
    await openHydrated(user.page, path);
    await expect(user.page.getByRole('alert'), path).toHaveText('Vous n’êtes pas autorisé à effectuer cette action.');
  }
  await openHydrated(user.page, '/support/comptes');
  await user.page.getByLabel('Adresse de connexion').fill(user.address);
  await user.page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(user.page.getByRole('alert')).toHaveText('Vous n’êtes pas autorisé à effectuer cette action.');
  await expect(user.page.getByRole('link', { name: 'Tickets du support' })).toHaveCount(0);
  await expect(user.page.getByRole('link', { name: 'Journal d’audit' })).toHaveCount(0);
  const calls: [string, Record<string, string | number | boolean>][] = [
    ['support-tickets', { status: '', situation: '', search: '', page: 0 }],
    ['support-ticket', { id: 1 }],
    ['reply-ticket', { id: 1, reply: 'Bonjour' }],
    ['move-ticket', { id: 1, act: 'Close' }],
    ['audit-log', { user: '', structure: '', event: '', from: '', to: '', before: '' }],
    ['support-account', { address: user.address }],
    ['set-account-active', { user_id: 1, active: false, reason: 'Essai' }],
    ['reject-structure', { structure_id: 1, reason: 'Essai' }],
  ];
  for (const [name, args] of calls) {
    expect((await callServerFunction(user.request, name, args)).status(), name).toBe(403);
  }
  expect((await user.request.get('/support/journal.csv')).status()).toBe(403);
  await user.close();
});
