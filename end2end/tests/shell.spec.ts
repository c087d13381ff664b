import { expect, test } from '@playwright/test';
import { DisplayTools, expectNoAxeViolations, openHydrated, reloadHydrated, setDisplay } from '../helpers/pages';

const DOMAINS_FR = ['Marché', 'Commande', 'Facturation', 'Organisation', 'Raccordements', 'Outils'];
const DOMAINS_EN = ['Procurement', 'Orders', 'Invoicing', 'Organisation', 'Connections', 'Tools'];

test.describe('the home page', () => {
  test('renders in French by default, hydrated, with the platform domains', async ({ page }) => {
    await openHydrated(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page).toHaveTitle('Accueil – Facturo');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Portail de services Facturo');
    const domains = page.getByRole('heading', { level: 3 });
    await expect(domains).toHaveText(DOMAINS_FR);
    await expect(page.getByRole('link', { name: 'Se connecter' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Créer un compte' })).toBeVisible();
    for (const landmark of ['banner', 'main', 'contentinfo'] as const) {
      await expect(page.getByRole(landmark)).toHaveCount(1);
    }
  });

  test('serves the same French page before any script runs', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Portail de services Facturo');
    await expect(page.getByRole('heading', { level: 3 })).toHaveText(DOMAINS_FR);
    await context.close();
  });
});

test.describe('the language switch', () => {
  test('changes every visible text, and the choice survives a reload', async ({ page }) => {
    const tools = new DisplayTools(page);
    await openHydrated(page, '/');
    await tools.switchTo('English');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Facturo services portal');
    await expect(page.getByRole('heading', { level: 3 })).toHaveText(DOMAINS_EN);
    await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
    await expect(page).toHaveTitle('Home – Facturo');

    await reloadHydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Facturo services portal');

    await tools.switchTo('Français');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Portail de services Facturo');
    await expect(page.getByRole('link', { name: 'Se connecter' })).toBeVisible();
  });

  test('works without JavaScript, through the server', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Facturo services portal');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('button', { name: 'Accessibility mode', exact: true }).click();
    await expect(page.locator('html')).toHaveClass(/\ba11y\b/);
    await context.close();
  });
});

test.describe('the accessibility mode', () => {
  test('toggles larger text and stronger contrast, and persists across a reload', async ({ page }) => {
    const tools = new DisplayTools(page);
    await openHydrated(page, '/');
    const html = page.locator('html');
    const toggle = tools.accessibilityButton();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(html).not.toHaveClass(/\ba11y\b/);
    const baseSize = await html.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

    await toggle.click();
    await expect(html).toHaveClass(/\ba11y\b/);
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const largeSize = await html.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(largeSize).toBeGreaterThan(baseSize);

    await reloadHydrated(page);
    await expect(html).toHaveClass(/\ba11y\b/);
    await expect(tools.accessibilityButton()).toHaveAttribute('aria-pressed', 'true');

    await tools.accessibilityButton().click();
    await expect(html).not.toHaveClass(/\ba11y\b/);
    await page.reload();
    await expect(html).not.toHaveClass(/\ba11y\b/);
  });
});

test.describe('keyboard use', () => {
  test('the skip link comes first and moves focus to the main content', async ({ page }) => {
    await openHydrated(page, '/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Aller au contenu principal' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#contenu')).toBeFocused();
  });

  test('Tab reaches every control of the page, in order', async ({ page }) => {
    await openHydrated(page, '/');
    const controls = await page.evaluate(() =>
      Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea'))
        .map((el) => (el as HTMLElement).innerText.trim() || el.getAttribute('aria-label') || ''),
    );
    expect(controls.length).toBeGreaterThanOrEqual(5);
    const reached: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el ? el.innerText.trim() || el.getAttribute('aria-label') || '' : '';
        }),
      );
    }
    expect(reached).toEqual(controls);
  });

  test('the display tools work from the keyboard', async ({ page }) => {
    await openHydrated(page, '/');
    const toggle = new DisplayTools(page).accessibilityButton();
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveClass(/\ba11y\b/);
    await page.getByRole('button', { name: 'English', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test.describe('navigation', () => {
  test('links change pages in place once hydrated', async ({ page }) => {
    await openHydrated(page, '/');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(/\/connexion$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Se connecter');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.getByRole('link', { name: /^Facturo/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Portail de services Facturo');
  });

  test('an unknown address answers 404 with a translated page', async ({ page }) => {
    const response = await page.goto('/cette-page-n-existe-pas');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  });
});

test.describe('accessibility audit (axe-core)', () => {
  const pages = ['/', '/connexion', '/creer-un-compte', '/page-inconnue'];
  for (const mode of ['normal', 'accessibility'] as const) {
    for (const language of ['fr', 'en'] as const) {
      test(`no violation in ${mode} mode, ${language}`, async ({ page, context }) => {
        await setDisplay(context, { accessibility: mode === 'accessibility', language });
        for (const path of pages) {
          await openHydrated(page, path);
          await expect(page.locator('html')).toHaveAttribute('lang', language);
          if (mode === 'accessibility') await expect(page.locator('html')).toHaveClass(/\ba11y\b/);
          await expectNoAxeViolations(page, `${path} (${mode}, ${language})`);
        }
      });
    }
  }
});
