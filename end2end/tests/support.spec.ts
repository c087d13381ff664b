import { expect, test, type Page } from '@playwright/test';
import { logIn, newAddress, userInOwnContext, userMenu } from '../helpers/accounts';
import { callServerFunction } from '../helpers/api';
import { resetClock } from '../helpers/clock';
import { addApp, logInAgainWithApp } from '../helpers/factors';
import { linkIn, mailTo } from '../helpers/mailbox';
import { DisplayTools, expectNoAxeViolations, openHydrated } from '../helpers/pages';

// Rule U2 (issue 14): Support's ticket desk. A visitor locked out of their
// login address writes from *Nous contacter*; Support, logged in with an
// authenticator app, finds the ticket, answers it (the visitor receives
// the answer), changes the user's login address through the link sent to
// the new one (the unblocking procedure of seed 000: the user then logs in
// with it) and closes the ticket. Support logged in with the e-mailed code is
// told to log in with an app; anyone else is refused every page and
// server function of the desk.

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

test('nobody but Support reaches the ticket desk', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('curieux'));
  await openHydrated(user.page, '/support/tickets');
  await expect(user.page.getByRole('alert')).toHaveText('Vous n’êtes pas autorisé à effectuer cette action.');
  await openHydrated(user.page, '/support/tickets/1');
  await expect(user.page.getByRole('alert')).toHaveText('Vous n’êtes pas autorisé à effectuer cette action.');
  await expect(user.page.getByRole('link', { name: 'Tickets du support' })).toHaveCount(0);
  const calls: [string, Record<string, string | number>][] = [
    ['support-tickets', { status: '', situation: '', search: '', page: 0 }],
    ['support-ticket', { id: 1 }],
    ['reply-ticket', { id: 1, reply: 'Bonjour' }],
    ['move-ticket', { id: 1, act: 'Close' }],
  ];
  for (const [name, args] of calls) {
    expect((await callServerFunction(user.request, name, args)).status(), name).toBe(403);
  }
  await user.close();
});
