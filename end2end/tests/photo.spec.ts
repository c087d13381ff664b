import { expect, test, type Page } from '@playwright/test';
import { newAddress, userInOwnContext } from '../helpers/accounts';
import { DisplayTools, expectNoAxeViolations, openHydrated, reloadHydrated } from '../helpers/pages';

// Rule P1, the profile photo of *Mon compte* (issue 13): a PNG or JPEG is
// uploaded, made again by the server (256 pixels at most), shown at once
// and kept; a file that is not an image is refused clearly, whether the
// page or the server finds it out; the photo is removed. With the keyboard,
// in both display modes and in English.

/** A 300 × 200 blue PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAASwAAADICAIAAADdvUsCAAABsUlEQVR42u3TQQ0AAAjEsFOCMBQjCxk8aFIFS5bqAQ5FAjAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQMCGYEDAhmBAwIZgQTKgCmBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAgmVAFMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBEwIJgRMCCYETAgmBBMCJgQTAiaEnxaCQgksH1zqjQAAAABJRU5ErkJggg==',
  'base64',
);

const CHOOSE = 'Choisir une photo (PNG ou JPEG, 8 Mo au plus)';

/** Chooses `file` with the keyboard alone (Space on the focused field), then sends it with Enter. */
async function sendWithKeyboard(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  const field = page.getByLabel(CHOOSE);
  await field.focus();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await chooser).setFiles(file);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Enregistrer la photo' })).toBeFocused();
  await page.keyboard.press('Enter');
}

/** The photo's size as the browser decoded it. */
async function naturalSize(page: Page, alt: string): Promise<[number, number]> {
  return page.getByRole('img', { name: alt }).evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
}

test('a profile photo is uploaded, made again by the server, kept and removed', async ({ browser }) => {
  const user = await userInOwnContext(browser, newAddress('photo'));
  const { page } = user;
  await openHydrated(page, '/mon-compte');
  await expect(page.getByText('Aucune photo')).toBeVisible();

  await sendWithKeyboard(page, { name: 'portrait.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('status')).toHaveText('Votre photo de profil est enregistrée.');
  const photo = page.getByRole('img', { name: 'Votre photo de profil' });
  await expect(photo).toBeVisible();
  await expect.poll(() => naturalSize(page, 'Votre photo de profil')).toEqual([256, 170]);
  await expectNoAxeViolations(page, 'Mon compte with a photo');

  // Not an image: the page says so before sending…
  await page.getByLabel(CHOOSE).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Bonjour') });
  await page.getByRole('button', { name: 'Enregistrer la photo' }).click();
  const refusal = page.getByText('Ce fichier n’est pas une image PNG ou JPEG.');
  await expect(refusal).toBeVisible();
  await expect(page.getByLabel(CHOOSE)).toHaveAttribute('aria-invalid', 'true');
  // …and the server, when the file only claims to be one.
  await page.getByLabel(CHOOSE).setInputFiles({ name: 'faux.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload="alert(1)"/>') });
  await expect(refusal).toBeHidden();
  await page.getByRole('button', { name: 'Enregistrer la photo' }).click();
  await expect(refusal).toBeVisible();
  await expect(photo).toBeVisible();

  // Kept, and shown in the accessibility mode without violations.
  await reloadHydrated(page);
  await expect(photo).toBeVisible();
  await new DisplayTools(page).accessibilityButton('Mode accessibilité').click();
  await expectNoAxeViolations(page, 'Mon compte with a photo (accessibility mode)');

  // In English, then removed.
  await new DisplayTools(page).switchTo('English');
  await expect(page.getByRole('img', { name: 'Your profile photo' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove the photo' }).click();
  await expect(page.getByRole('status')).toHaveText('Your profile photo is removed.');
  await expect(page.getByText('No photo')).toBeVisible();
  await reloadHydrated(page);
  await expect(page.getByText('No photo')).toBeVisible();
  expect((await page.request.get('/mon-compte/photo')).status()).toBe(404);
  await user.close();
});
