// Structures (rules S1–S3, M1) as their creator makes them: *Créer une
// nouvelle structure* looked up by SIRET in the SIRENE sample
// (server/data/sirene/README.md lists its SIRETs), and a structure's services.
import { expect, type Page } from '@playwright/test';
import { openHydrated } from './pages';

const CREATE = '/structures/creer';

/** Types `siret` in the creation form and asks the directory. */
async function lookUp(page: Page, siret: string) {
  await page.getByLabel('Identifiant', { exact: true }).fill(siret);
  await page.getByRole('button', { name: 'Rechercher' }).click();
}

/** Opens the creation form, checks it expects a SIRET, and looks `siret` up. */
export async function searchSiret(page: Page, siret: string) {
  await openHydrated(page, CREATE);
  await expect(page.getByLabel('Type d’identifiant')).toHaveValue('siret');
  await lookUp(page, siret);
}

/** Creates the structure of `siret`, whose *raison sociale* in the directory is `name`. */
export async function createStructure(page: Page, siret: string, name: string) {
  await openHydrated(page, CREATE);
  await lookUp(page, siret);
  await expect(page.getByLabel('Raison sociale')).toHaveValue(name);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('status')).toContainText(name);
}

/** From *Mes structures*, the services page of the structure `name`. */
export async function openServices(page: Page, name: string) {
  await openHydrated(page, '/mes-structures');
  await page.getByRole('link', { name: `Services de ${name}` }).click();
}

/** Fills and submits *Ajouter le service* on a services page. */
export async function submitService(page: Page, code: string, label: string) {
  await page.getByLabel('Code du service', { exact: true }).fill(code);
  await page.getByLabel('Libellé du service', { exact: true }).fill(label);
  await page.getByRole('button', { name: 'Ajouter le service' }).click();
}

/** Adds a service to the structure `name` and waits for its row. */
export async function addService(page: Page, name: string, code: string, label: string) {
  await openServices(page, name);
  await submitService(page, code, label);
  await expect(page.getByRole('row').filter({ hasText: code })).toBeVisible();
}

/**
 * Creates a structure identified outside the EU (rule S1): no directory, so
 * any `identifier` not used yet works, which suites that need a structure of
 * their own use instead of the directory's few SIRETs.
 */
export async function createForeignStructure(page: Page, identifier: string, name: string) {
  await openHydrated(page, CREATE);
  await page.getByLabel('Type d’identifiant').selectOption('hors_ue');
  await page.getByLabel('Identifiant', { exact: true }).fill(identifier);
  await page.getByLabel('Raison sociale').fill(name);
  await page.getByRole('button', { name: 'Soumettre' }).click();
  await expect(page.getByRole('status')).toContainText(name);
}
