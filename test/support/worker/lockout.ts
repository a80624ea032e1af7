// Failing sign-ins from chosen addresses, for the lockout tests in workerd: each
// browser sends its own CF-Connecting-IP, and a TestApp's clock waits out throttles.
import { errorSummaryItems } from '../pages.ts';
import { expect } from 'vitest';
import type { RegisteredClient } from './clients.ts';
import { Browser } from './browser.ts';
import { submitPasswordForm, type PasswordHolder } from './password.ts';
import type { TestApp } from './test-app.ts';
import { authorizePath } from '../sign-in.ts';

/** A fresh /64 of the documentation prefix, so no two tests (or browsers) share address counters. */
export const addressHeader = () => ({ 'cf-connecting-ip': `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::1` });

/** A browser on the sign-in page of an authorization request, coming from its own address unless `headers` say one. */
export async function signInPage(app: TestApp, client: RegisteredClient, headers = addressHeader()): Promise<Browser> {
  const browser = new Browser((request) => {
    for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
    return app.fetch(request);
  });
  await browser.navigate(authorizePath(client));
  return browser;
}

export const wrongPassword = (browser: Browser, username: string) =>
  submitPasswordForm(browser, { username, password: 'not the password at all', code: '000000' });

/** The right password, and a fresh code by the service's clock when the person has an app. */
export async function rightPassword(browser: Browser, who: PasswordHolder, app: TestApp): Promise<Response> {
  const code = who.app ? await who.app.code(app.ports.now()) : '';
  return submitPasswordForm(browser, { username: who.person.userName, password: who.password, code });
}

/** Repeats a failing attempt, waiting out each throttle, until it is refused for the lock's whole length (Retry-After 900). */
export async function failUntilLocked(app: TestApp, attempt: () => Promise<Response>, failureStatus: number): Promise<Response> {
  for (let i = 0; i < 30; i++) {
    const res = await attempt();
    if (res.status === 429 && res.headers.get('retry-after') === '900') return res;
    if (res.status === 429) app.advance(Number(res.headers.get('retry-after')) * 1000);
    else expect(res.status).toBe(failureStatus);
  }
  throw new Error('never locked');
}

/**
 * Failing attempts (by default a wrong password for `username`), four from each fresh address
 * (below the pair's throttle), waiting out the person's throttle, until a fresh address is
 * refused for the lock's length: only the person-wide count can refuse it. Answers how many
 * addresses it took.
 */
export async function lockFromManyAddresses(
  app: TestApp,
  client: RegisteredClient,
  username: string,
  attempt: (browser: Browser) => Promise<Response> = (browser) => wrongPassword(browser, username),
): Promise<number> {
  for (let addresses = 1; addresses <= 20; addresses++) {
    const browser = await signInPage(app, client);
    for (let n = 0; n < 4; n++) {
      const res = await attempt(browser);
      if (res.status === 429 && res.headers.get('retry-after') === '900') return addresses;
      if (res.status === 429) app.advance(Number(res.headers.get('retry-after')) * 1000);
      else expect(res.status).toBe(401);
    }
  }
  throw new Error('never locked');
}

/** The one message of the page's error summary, which names the password field. */
export function alertText(html: string): string {
  const items = errorSummaryItems(html);
  if (items.length !== 1) throw new Error(`expected one error on the page, found ${JSON.stringify(items)}`);
  const m = /^(.*) → #password$/.exec(items[0]!);
  if (!m) throw new Error(`the error does not point at the password field: ${items[0]}`);
  return m[1]!.trim();
}
