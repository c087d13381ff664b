import { expect, test } from '@playwright/test';
import { EN, FR, PASSWORD, enterCode, expectLoggedIn, enterPassword, logOut, newAddress, userInOwnContext } from '../helpers/accounts';
import { codeIn, mailCount, nextMail } from '../helpers/mailbox';
import { DisplayTools, openHydrated } from '../helpers/pages';

// Rule P4: the display preferences chosen while logged in are saved on the
// account and applied by the next login, in another browser too; before
// that login, the other browser shows the visitor's own choice.

test('preferences chosen while logged in follow the user to another browser', async ({ browser }) => {
  const address = newAddress('preferences');
  const first = await userInOwnContext(browser, address);
  const tools = new DisplayTools(first.page);
  await openHydrated(first.page, '/mes-structures');
  await tools.switchTo('English');
  await tools.accessibilityButton('Accessibility mode').click();
  await expect(first.page.locator('html')).toHaveClass(/\ba11y\b/);

  // Another browser: the visitor's French, normal display, until the login.
  const context = await browser.newContext();
  const page = await context.newPage();
  await openHydrated(page, '/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', 'fr');
  await expect(html).not.toHaveClass(/\ba11y\b/);
  // The login code comes in the account's language, now English.
  const before = await mailCount(context.request, address, EN.codeSubject);
  await enterPassword(page, address, PASSWORD, FR);
  await enterCode(page, codeIn(await nextMail(context.request, address, EN.codeSubject, before)), FR);
  await expectLoggedIn(page, EN);
  await expect(html).toHaveAttribute('lang', 'en');
  await expect(html).toHaveClass(/\ba11y\b/);
  await expect(new DisplayTools(page).accessibilityButton('Accessibility mode')).toHaveAttribute('aria-pressed', 'true');

  // Back to French there: the first browser's next login follows.
  await new DisplayTools(page).switchTo('Français');
  await logOut(first.page, EN);
  const again = await mailCount(first.request, address, FR.codeSubject);
  await enterPassword(first.page, address, PASSWORD, EN);
  await enterCode(first.page, codeIn(await nextMail(first.request, address, FR.codeSubject, again)), EN);
  await expectLoggedIn(first.page, FR);
  await expect(first.page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(first.page.locator('html')).toHaveClass(/\ba11y\b/);
  await context.close();
  await first.close();
});
