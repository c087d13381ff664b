import { expect, test } from '@playwright/test';
import { newAddress } from '../helpers/accounts';
import { mailTo } from '../helpers/mailbox';
import { DisplayTools, expectNoAxeViolations, openHydrated } from '../helpers/pages';

// Rule U1 (issue 14): *Nous contacter* → *Envoyer un ticket*, for a visitor
// locked out of their login address (seed 000): reached from the login
// page, checked as typed, sent once the anti-robot check is done, the
// number shown and e-mailed to the answer address.

test('a visitor sends a Problème de connexion ticket and receives its number', async ({ page, request }) => {
  const answerTo = newAddress('ticket');
  await openHydrated(page, '/connexion');
  await page.getByRole('link', { name: 'Nous contacter' }).first().click();
  await expect(page.getByRole('heading', { name: 'Nous contacter', level: 1 })).toBeVisible();

  // Sent empty: every required field says why.
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByText('Le formulaire contient des erreurs')).toBeVisible();
  await expect(page.getByLabel('Sélectionnez la situation')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Sélectionnez la situation').selectOption({ label: 'Problème de connexion' });
  await page.getByLabel('Adresse mail', { exact: true }).fill(answerTo);
  await page.getByLabel('Confirmez votre adresse mail').fill(answerTo);
  // A login problem asks for the login address that no longer works.
  const login = page.getByLabel('Adresse mail de connexion concernée');
  await expect(login).toHaveAttribute('aria-invalid', 'true');
  await login.fill('ancienne@example.fr');
  await page.getByLabel('Description').fill('Mon adresse de connexion ne reçoit plus de messages.');
  await expectNoAxeViolations(page, 'Nous contacter, form filled');
  await expect(page.getByText('Vérification anti-robot terminée.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Soumettre' }).click();

  const sent = page.getByRole('status').filter({ hasText: 'est envoyé' });
  await expect(sent).toBeVisible();
  const number = (await sent.textContent())!.match(/SUP-\d{6}/)![0];
  const mail = await mailTo(request, answerTo, number);
  expect(mail.text).toContain('Problème de connexion');
});

test('Contact us works in English and in the accessibility mode', async ({ page }) => {
  await openHydrated(page, '/nous-contacter');
  const tools = new DisplayTools(page);
  await tools.switchTo('English');
  await tools.accessibilityButton('Accessibility mode').click();
  await expect(page.getByRole('heading', { name: 'Contact us', level: 1 })).toBeVisible();
  await page.getByLabel('Select the situation').selectOption({ label: 'Other' });
  await expect(page.getByLabel('Login e-mail address concerned')).toHaveCount(0);
  await page.getByLabel('Description').fill('Short');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText('This field is too short (at least 10 characters).')).toBeVisible();
  await expectNoAxeViolations(page, 'Contact us, English, accessibility mode, with errors');
});
