// Second factors (rules F1–F4, L3): the page *Mes facteurs
// d'authentification* by the names a person sees, the codes an
// authenticator app would show, Chromium's virtual security key, and the
// login step with the app's code.
import { expect, type APIRequestContext, type CDPSession, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { enterPassword, expectLoggedIn, logOut } from './accounts';
import { advanceClock, serverNow } from './clock';
import { openHydrated, waitForHydration } from './pages';

export const FACTORS = '/mes-facteurs-authentification';

/** The code an authenticator app shows for `secret` at `at` (milliseconds). */
export function appCode(secret: string, at: number): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  return totp.generate({ timestamp: at });
}

/** The login's second step with the authenticator app's code. */
export async function enterAppCode(page: Page, code: string) {
  await page.getByLabel('Code de l’application', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Valider' }).click();
}

/** Chromium's virtual security key (CDP WebAuthn domain), touched automatically. */
export async function virtualKey(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: false,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return cdp;
}

/** The page *Mes facteurs d'authentification*, by the names a person sees. */
export class FactorsPage {
  constructor(private readonly page: Page) {}

  async open() {
    await openHydrated(this.page, FACTORS);
    await expect(this.page.getByRole('heading', { name: 'Mes facteurs d’authentification', level: 1 })).toBeVisible();
  }

  status(text: string | RegExp) {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  /** *Ajouter une application*; returns the secret shown as text. */
  async startApp(): Promise<string> {
    await this.page.getByRole('button', { name: 'Ajouter une application' }).click();
    await expect(this.page.getByRole('img', { name: /QR code/ })).toBeVisible();
    return this.page.getByLabel('Clé à saisir', { exact: true }).inputValue();
  }

  async confirmApp(code: string, device: string) {
    await this.page.getByLabel('Code à 6 chiffres affiché par l’application', { exact: true }).fill(code);
    await this.page.getByLabel('Nom de l’appareil', { exact: true }).fill(device);
    await this.page.getByRole('button', { name: 'Ajouter l’application' }).click();
  }

  async addKey(name: string) {
    await this.page.getByRole('button', { name: 'Ajouter une clé de sécurité' }).click();
    await this.page.getByLabel('Nom de la clé', { exact: true }).fill(name);
    await this.page.getByRole('button', { name: 'Ajouter une nouvelle clé' }).click();
  }

  /**
   * *Confirmez votre identité*, its first half: the password. The login's
   * second step follows in the section; once given, the page reloads.
   */
  async reauthenticate(password: string) {
    await expect(this.page.getByRole('heading', { name: 'Confirmez votre identité' })).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Continuer' }).click();
  }

  /** Waits for the page reloaded after a re-authentication, hydrated. */
  async reloaded() {
    await expect(this.page.getByRole('heading', { name: 'Confirmez votre identité' })).toBeHidden();
    await waitForHydration(this.page);
    await expect(this.page.getByRole('heading', { name: 'Mes sessions' })).toBeVisible();
  }
}

/** Adds an authenticator app on *Mes facteurs d'authentification*; returns its secret. */
export async function addApp(page: Page, request: APIRequestContext, device = 'Téléphone pro'): Promise<string> {
  const factors = new FactorsPage(page);
  await factors.open();
  const secret = await factors.startApp();
  await factors.confirmApp(appCode(secret, await serverNow(request)), device);
  await expect(factors.status('L’application a été ajoutée.')).toBeVisible();
  return secret;
}

/**
 * Logs out, then in again with the app's next code: the server's clock
 * moves 30 seconds (the code given at enrolment cannot serve twice), so
 * the test resets it afterwards.
 */
export async function logInAgainWithApp(page: Page, request: APIRequestContext, address: string, secret: string) {
  await logOut(page);
  const later = await advanceClock(request, 30);
  await enterPassword(page, address);
  await enterAppCode(page, appCode(secret, later));
  await expectLoggedIn(page);
}
