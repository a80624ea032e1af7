// Password and authenticator-app sign-in as a person does it, over HTTP, for
// workerd and Node tests alike: the key the invitation page shows, fresh TOTP
// codes from it, and the sign-in page's password form.
import { hotp, timeStep, TOTP_PERIOD_SECONDS, TOTP_WINDOW } from '../../src/totp/totp.ts';
import { fromBase32 } from './base32.ts';
import type { HttpBrowser } from './http-browser.ts';

export const PASSWORD = 'correct horse battery staple';

/** How long a code may take to reach the service on a loaded machine. */
const SLACK_MS = 5_000;
const TOTP_PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;

/** An authenticator app: the key from the invitation page, and the newest step it has spent. */
export class AuthenticatorApp {
  lastUsedStep: number | null = null;
  constructor(readonly secret: Uint8Array<ArrayBuffer>) {}

  /**
   * The code of the earliest step the service accepts at `now` and has not seen
   * used (RFC 6238 §5.2). On the real clock, a code asked for in the last
   * SLACK_MS of a step waits for the next step first: the earliest step leaves
   * the service's window at that boundary, and a slow machine would cross it
   * before the request arrives. A test's own clock (`now`) is the service's too.
   */
  async code(now?: number): Promise<string> {
    if (now === undefined) {
      const left = TOTP_PERIOD_MS - (Date.now() % TOTP_PERIOD_MS);
      if (left < SLACK_MS) await new Promise((resolve) => setTimeout(resolve, left + 50));
      now = Date.now();
    }
    const current = timeStep(now);
    const step = Math.max(current - TOTP_WINDOW, (this.lastUsedStep ?? -Infinity) + 1);
    if (step > current + TOTP_WINDOW) throw new Error('every code in the window has been used: move the clock on');
    this.lastUsedStep = step;
    return hotp(this.secret, step);
  }
}

export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} field on the page`);
  return m[1]!;
}

/** The key the invitation page shows, its form token and where the form goes. */
export function appSetupOnPage(html: string): { secret: Uint8Array<ArrayBuffer>; token: string; action: string } {
  const secret = /data-secret="([A-Z2-7]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+\/authenticator-app)"/.exec(html)?.[1];
  if (!secret || !action) throw new Error('no authenticator app set-up on the page');
  return { secret: fromBase32(secret), token: hiddenField(html, 'csrf_token'), action };
}

/** Opens an invitation page and confirms an app with its first code. */
export async function confirmAppOnInvitation(browser: HttpBrowser, invitationPath: string): Promise<{ app: AuthenticatorApp; response: Response }> {
  const page = await browser.fetch(invitationPath);
  const setup = appSetupOnPage(await page.text());
  const app = new AuthenticatorApp(setup.secret);
  const response = await browser.postForm(setup.action, { csrf_token: setup.token, totp_code: await app.code() });
  if (response.status !== 200) throw new Error(`confirming the app answered ${response.status}`);
  return { app, response };
}

export interface PasswordHolder {
  person: { id: string; userName: string };
  password: string;
  app: AuthenticatorApp | null;
}

// The sign-in page each browser was last on: a refused form answers with the page
// again, but at /signin/password, so the next attempt reloads the page itself.
const signInPages = new WeakMap<HttpBrowser, URL>();

/** Submits the password form of the sign-in page the browser is on (no redirects followed). */
export async function submitPasswordForm(
  browser: HttpBrowser,
  fields: { username: string; password: string; code?: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  if (browser.url.pathname === '/signin') signInPages.set(browser, browser.url);
  const page = signInPages.get(browser);
  if (!page) throw new Error(`the browser is not on the sign-in page but on ${browser.url.pathname}`);
  const html = await (await browser.fetch(page)).text();
  const interaction = /name="interaction" value="([^"]+)"/.exec(html)?.[1];
  return browser.fetch('/signin/password', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: browser.origin, ...headers },
    body: new URLSearchParams({
      csrf_token: hiddenField(html, 'csrf_token'),
      ...(interaction ? { interaction } : {}),
      username: fields.username,
      password: fields.password,
      totp_code: fields.code ?? '',
    }).toString(),
  });
}

/** Signs in with the person's password (and a fresh code from their app, by the service's clock `now`). */
export async function passwordSignIn(browser: HttpBrowser, who: PasswordHolder, now?: number): Promise<Response> {
  return submitPasswordForm(browser, { username: who.person.userName, password: who.password, code: who.app ? await who.app.code(now) : '' });
}

/** Signs in with the password on the current sign-in page and follows the redirects on the service. */
export async function passwordSignInAndContinue(browser: HttpBrowser, who: PasswordHolder, now?: number): Promise<Response> {
  const res = await passwordSignIn(browser, who, now);
  if (res.status !== 303) throw new Error(`password sign-in answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return browser.navigate(res.headers.get('location')!);
}
