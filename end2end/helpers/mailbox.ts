// The e-mails the server under test has delivered, read from its test
// mailbox (`GET /__test/mailbox`, rule R-T1), and the links and codes in them.
import { expect, type APIRequestContext } from '@playwright/test';

export type Mail = { to: string; subject: string; text: string; html: string; sent_at: string };

/** Every delivered e-mail, newest first. */
async function mailbox(request: APIRequestContext): Promise<Mail[]> {
  return (await request.get('/__test/mailbox')).json();
}

/** Waits for the newest e-mail to `to` whose subject contains `subject`. */
export async function mailTo(request: APIRequestContext, to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(async () => {
      found = (await mailbox(request)).find((m) => m.to === to && m.subject.includes(subject));
      return found !== undefined;
    }, { message: `mail "${subject}" to ${to}` })
    .toBe(true);
  return found!;
}

/** How many e-mails to `to` have a subject containing `subject` (all of them by default). */
export async function mailCount(request: APIRequestContext, to: string, subject = ''): Promise<number> {
  return (await mailbox(request)).filter((m) => m.to === to && m.subject.includes(subject)).length;
}

/** Waits for a new e-mail (more than `before` of them) and returns the newest. */
export async function nextMail(
  request: APIRequestContext, to: string, subject: string, before: number,
): Promise<Mail> {
  await expect.poll(() => mailCount(request, to, subject), { message: `new mail "${subject}"` }).toBeGreaterThan(before);
  return mailTo(request, to, subject);
}

/** The link of a mail, with the test server's address. */
export function linkIn(mail: Mail): string {
  const match = mail.text.match(/https?:\/\/\S+jeton=\S+/);
  expect(match, mail.text).not.toBeNull();
  const url = new URL(match![0]);
  return url.pathname + url.search;
}

/** The six-digit code of a mail. */
export function codeIn(mail: Mail): string {
  const match = mail.text.match(/\b(\d{6})\b/);
  expect(match, mail.text).not.toBeNull();
  return match![1];
}
