// Accounts as a person makes and uses them through the browser: the labels
// of the account pages in French and English, sign-up, activation, the
// password and e-mailed-code login steps, logout, and a logged-in user in a
// browser context of their own.
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { codeIn, linkIn, mailCount, mailTo, nextMail } from './mailbox';
import { openHydrated, setDisplay, waitForHydration, type Display } from './pages';

export const PASSWORD = 'Abcdefgh1!xy';

/** A fresh login address for one test. */
export function newAddress(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.fr`;
}

export const FR = {
  login: 'Adresse de connexion',
  confirmation: 'Confirmation de l’adresse de connexion',
  lastName: 'Nom',
  firstName: 'Prénom',
  createSubmit: 'Créer mon compte',
  captchaDone: 'Vérification anti-robot terminée.',
  signupDone: 'Vérifiez votre messagerie',
  activationSubject: 'Activez votre compte',
  password: 'Mot de passe',
  passwordConfirmation: 'Confirmation du mot de passe',
  submit: 'Soumettre',
  passwordDone: 'Votre mot de passe a été mis à jour',
  signIn: 'Se connecter',
  code: 'Code reçu par e-mail',
  codeSubject: 'Votre code de connexion',
  codeSubmit: 'Valider',
  signOut: 'Se déconnecter',
  signedIn: 'Connecté :',
};

export const EN: typeof FR = {
  login: 'Login address',
  confirmation: 'Login address confirmation',
  lastName: 'Last name',
  firstName: 'First name',
  createSubmit: 'Create my account',
  captchaDone: 'Robot check complete.',
  signupDone: 'Check your mailbox',
  activationSubject: 'Activate your account',
  password: 'Password',
  passwordConfirmation: 'Password confirmation',
  submit: 'Submit',
  passwordDone: 'Your password has been updated',
  signIn: 'Log in',
  code: 'Code received by e-mail',
  codeSubject: 'Your login code',
  codeSubmit: 'Confirm',
  signOut: 'Log out',
  signedIn: 'Logged in:',
};

/** The name an account is created with. */
export type Person = { lastName: string; firstName: string };
const MARIE: Person = { lastName: 'Curie', firstName: 'Marie' };

export async function signUp(page: Page, address: string, t = FR, who = MARIE): Promise<void> {
  await openHydrated(page, '/creer-un-compte');
  await page.getByLabel(t.login, { exact: true }).fill(address);
  await page.getByLabel(t.confirmation, { exact: true }).fill(address);
  await page.getByLabel(t.lastName, { exact: true }).fill(who.lastName);
  await page.getByLabel(t.firstName, { exact: true }).fill(who.firstName);
  await expect(page.getByText(t.captchaDone)).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: t.createSubmit }).click();
  await expect(page.getByRole('heading', { name: t.signupDone })).toBeVisible();
}

export async function choosePassword(page: Page, path: string, password = PASSWORD, t = FR) {
  await openHydrated(page, path);
  await page.getByLabel(t.password, { exact: true }).fill(password);
  await page.getByLabel(t.passwordConfirmation, { exact: true }).fill(password);
  await page.getByRole('button', { name: t.submit }).click();
  await expect(page.getByText(t.passwordDone)).toBeVisible();
}

/** The login's first step: address and password. */
export async function enterPassword(page: Page, address: string, password = PASSWORD, t = FR) {
  await openHydrated(page, '/connexion');
  await page.getByLabel(t.login, { exact: true }).fill(address);
  await page.getByLabel(t.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: t.signIn }).click();
}

/** The login's second step with the e-mailed code. */
export async function enterCode(page: Page, code: string, t = FR) {
  await page.getByLabel(t.code).fill(code);
  await page.getByRole('button', { name: t.codeSubmit }).click();
}

/** Creates an active account through the browser. */
export async function activeAccount(page: Page, request: APIRequestContext, address: string, t = FR, who = MARIE) {
  await signUp(page, address, t, who);
  await choosePassword(page, linkIn(await mailTo(request, address, t.activationSubject)), PASSWORD, t);
}

/** A full login with the e-mailed code (an account without other factors). */
export async function logIn(page: Page, request: APIRequestContext, address: string, t = FR) {
  const before = await mailCount(request, address, t.codeSubject);
  await enterPassword(page, address, PASSWORD, t);
  await enterCode(page, codeIn(await nextMail(request, address, t.codeSubject, before)), t);
  await expectLoggedIn(page, t);
}

/** The user's menu in the header: its button bears "Connecté : <name>". */
export function userMenu(page: Page, t = FR) {
  return page.locator('header summary', { hasText: t.signedIn });
}

/** The header shows the user's menu (in the language of `t`). */
export async function expectLoggedIn(page: Page, t = FR) {
  await expect(userMenu(page, t)).toBeVisible();
}

/** Creates an active account and logs it in for the first time. */
export async function loggedInAccount(page: Page, request: APIRequestContext, address: string, t = FR, who = MARIE) {
  await activeAccount(page, request, address, t, who);
  await logIn(page, request, address, t);
}

/**
 * At a login step asking for another factor, *Se connecter d'une autre
 * façon*, then the code e-mailed instead.
 */
export async function logInWithEmailedCodeInstead(page: Page, request: APIRequestContext, address: string) {
  const before = await mailCount(request, address, FR.codeSubject);
  await page.getByRole('button', { name: 'Se connecter d’une autre façon' }).click();
  await page.getByRole('button', { name: 'Recevoir un code sur ma messagerie' }).click();
  await enterCode(page, codeIn(await nextMail(request, address, FR.codeSubject, before)));
}

/** *Se déconnecter*, waiting for the reloaded page. */
export async function logOut(page: Page, t = FR) {
  // The button works once the page has hydrated (a click before is lost).
  await waitForHydration(page);
  await userMenu(page, t).click();
  await page.getByRole('button', { name: t.signOut }).click();
  await expect(page.getByRole('link', { name: t.signIn })).toBeVisible();
  await waitForHydration(page);
}

/** A logged-in user in a browser context of their own. */
export type User = { page: Page; request: APIRequestContext; address: string; close: () => Promise<void> };

/** Creates an active account in a new browser context, with `display` set first, and logs it in. */
export async function userInOwnContext(
  browser: Browser, address: string, who = MARIE, t = FR, display?: Display,
): Promise<User> {
  const context = await browser.newContext();
  if (display) await setDisplay(context, display);
  const page = await context.newPage();
  await loggedInAccount(page, context.request, address, t, who);
  return { page, request: context.request, address, close: () => context.close() };
}
