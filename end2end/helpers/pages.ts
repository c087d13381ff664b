// Tools for any page of the portal: opening it and waiting for the WASM to
// hydrate it (`<html data-hydrated>`), the axe-core audit, and the header's
// display tools (language, accessibility mode).
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Opens `path` and waits until the WASM has hydrated the page. */
export async function openHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
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

  async switchTo(language: 'English' | 'Français'): Promise<void> {
    await this.languageButton(language).click();
    await expect(this.page.locator('html')).toHaveAttribute(
      'lang',
      language === 'English' ? 'en' : 'fr',
    );
  }
}
