// Tools for any page of the portal: opening or reloading it and waiting for
// the WASM to hydrate it (`<html data-hydrated>`), the axe-core audit, and
// the header's display tools (language, accessibility mode) with the cookies
// they set.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Waits until the WASM has hydrated the page. */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
}

/** Opens `path` and waits until the WASM has hydrated the page. */
export async function openHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

/** Reloads the page and waits until the WASM has hydrated it again. */
export async function reloadHydrated(page: Page): Promise<void> {
  await page.reload();
  await waitForHydration(page);
}

/** Asserts that axe-core finds no WCAG 2.1 A/AA violation on the page. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const violations = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
  expect(violations, `axe violations on ${what}`).toEqual([]);
}

/** The header's display tools, found by role and accessible name. */
export class DisplayTools {
  constructor(private readonly page: Page) {}

  languageButton(name: 'English' | 'Français') {
    return this.page.getByRole('button', { name, exact: true });
  }

  accessibilityButton(name = 'Mode accessibilité') {
    return this.page.getByRole('button', { name, exact: true });
  }

  /**
   * Switches the language and waits for the page in it. A click while the
   * page is still being replaced (just after a login) was seen lost once in
   * a full run (2026-12-08, sessions.spec.ts): the button is clicked again
   * as long as the page is not in the language asked for.
   */
  async switchTo(language: 'English' | 'Français'): Promise<void> {
    const lang = language === 'English' ? 'en' : 'fr';
    const html = this.page.locator('html');
    await waitForHydration(this.page);
    await expect(async () => {
      if ((await html.getAttribute('lang')) !== lang) {
        await this.languageButton(language).click({ timeout: 2000 });
      }
      await expect(html).toHaveAttribute('lang', lang, { timeout: 4000 });
    }).toPass({ timeout: 20000 });
  }
}

/** Display choices made before a page is opened; what is left out is not set. */
export type Display = { accessibility?: boolean; language?: 'fr' | 'en' };

/** Sets the cookies the display tools would have set: accessibility mode, then language. */
export async function setDisplay(context: BrowserContext, display: Display): Promise<void> {
  const url = test.info().project.use.baseURL!;
  const cookies: { name: string; value: string; url: string }[] = [];
  if (display.accessibility !== undefined) {
    cookies.push({ name: 'portal_a11y', value: display.accessibility ? '1' : '0', url });
  }
  if (display.language !== undefined) {
    cookies.push({ name: 'i18n_pref_locale', value: display.language, url });
  }
  await context.addCookies(cookies);
}
