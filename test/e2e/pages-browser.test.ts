// The pages as a person meets them, in Chromium against one `npm start`:
// passkey autofill giving way to the button without losing the authorization
// request; a password + app sign-in and a role choice with the keyboard alone;
// and every page and state checked with axe-core (WCAG 2.2 A and AA tags), for
// reflow at 320 px, and photographed at 1280 and 375 px (test-artifacts/pages/).
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase32 } from '../support/base32.ts';
import { HttpBrowser } from '../support/http-browser.ts';
import { AuthenticatorApp, confirmAppOnInvitation } from '../support/password-sign-in.ts';
import { AuthenticatorPage, authorizationUrl, CALLBACK, enrolPasskey, idTokenClaims, registerRelyingParty, type TestRelyingParty } from '../support/node/assurance-browser.ts';
import { addVirtualAuthenticator, type Page } from '../support/node/browser.ts';
import { admin, createPerson, rolesOver, type CreatedPerson } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';
import { checkPage, pendingAutofillScript, type PageReport } from '../support/node/page-checks.ts';

const stack = useStack('pages');
const browser = useBrowser();
let rp: TestRelyingParty;
/** An invitation made at the start with the shortest lifetime, looked at last, once expired. */
let expiring: { url: string; expiresAt: number };

const ORGS = [
  { orgCode: 'RX1', orgName: 'Example NHS Trust' },
  { orgCode: 'Y55', orgName: 'Riverside Practice' },
];
const ROLE_NAMES = ['Nurse Access Role', 'Clinical Practitioner Access Role', 'Receptionist Access Role', 'Admin Access Role', 'Pharmacist Access Role', 'Midwife Access Role', 'Porter Access Role'];

/** A person with `count` CIS2 roles over two organisations, and the other SCIM attributes given. */
function personWithRoles(count: number, extra: Record<string, unknown> = {}): Promise<CreatedPerson> {
  return createPerson(stack, {
    userName: `pages-${count}-${Math.random().toString(36).slice(2, 8)}`,
    name: { givenName: 'Robin', familyName: `Example ${count}` },
    rbac: { identityAssuranceLevel: 3, organisations: ORGS, roles: rolesOver(ORGS, ROLE_NAMES.slice(0, count).map((name) => `"Clinical":"Clinical Provision":"${name}"`)) },
    extra,
  });
}

beforeAll(async () => {
  rp = await registerRelyingParty(stack);
  const invitation = await admin(stack, `/admin/users/${(await personWithRoles(1)).id}/enrolments`, 'POST', { expires_in: 60 });
  expiring = { url: invitation.json.url, expiresAt: Date.parse(invitation.json.expires_at) };
});

const webauthnLog = (page: Page) => page.evaluate(() => (window as unknown as { __webauthnLog: string[] }).__webauthnLog);

describe('passkey autofill and the passkey button (WebAuthn §5.1.4.1)', () => {
  it('aborts the pending autofill request before the button starts its own, and continues the authorization request', async () => {
    const person = await personWithRoles(1);
    // A tab with autofill on (AuthenticatorPage turns it off).
    const context = await browser().newContext();
    let callback = '';
    await context.route(`${new URL(CALLBACK).origin}/**`, (route) => {
      callback = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>relying party</p>' });
    });
    try {
      const page = await context.newPage();
      await addVirtualAuthenticator(page);
      await enrolPasskey(page, stack, person.id);
      // The person does not pick the passkey from autofill: that request stays pending.
      await context.addInitScript(pendingAutofillScript);

      const seen: string[] = [];
      page.on('framenavigated', (frame) => seen.push(frame.url()));
      const log: string[] = [];
      page.on('console', (message) => message.text().startsWith('[webauthn] ') && log.push(message.text().slice(11)));
      const { url, verifier } = authorizationUrl(stack, rp, { state: 'autofill-then-button' });
      await page.goto(url);
      await expect.poll(() => webauthnLog(page)).toEqual(['start conditional#1']);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();

      await expect.poll(() => callback, { timeout: 15_000 }).not.toBe('');
      // The conditional request was aborted and had ended before the modal one started, which succeeded.
      expect(log).toEqual(['start conditional#1', 'abort conditional#1', 'reject conditional#1', 'start modal#2', 'resolve modal#2']);
      const params = new URL(callback).searchParams;
      expect(params.get('state')).toBe('autofill-then-button');
      const claims = await idTokenClaims(stack, rp, params.get('code')!, verifier);
      expect(claims).toMatchObject({ amr: ['FIDO2'] });
      expect(seen.some((u) => new URL(u).pathname === '/signed-in')).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('signs in through autofill on the plain sign-in page, the challenge in a sealed cookie and no session until the assertion verifies', async () => {
    const person = await personWithRoles(1);
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      await addVirtualAuthenticator(page);
      await enrolPasskey(page, stack, person.id);
      await context.clearCookies();

      const setCookies: Record<string, string> = {};
      page.on('response', async (response) => {
        const path = new URL(response.url()).pathname;
        if (path.startsWith('/webauthn/authentication/')) setCookies[path] = (await response.headerValue('set-cookie')) ?? '';
      });
      // With a virtual authenticator, Chromium answers the autofill request at once: no click.
      await page.goto(`${stack.url}/signin`);
      await page.waitForURL(`${stack.url}/signed-in`, { timeout: 15_000 });
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/signed in/i);
      expect(setCookies['/webauthn/authentication/options']).toMatch(/^webauthn-challenge=v1\./);
      expect(setCookies['/webauthn/authentication/options']).not.toMatch(/(^|\n)session=/);
      expect(setCookies['/webauthn/authentication/verify']).toMatch(/(^|\n)session=/);
      const names = (await context.cookies(stack.url)).map((c) => c.name);
      expect(names).toContain('session');
      expect(names).not.toContain('webauthn-challenge');
    } finally {
      await context.close();
    }
  });

  it('logs the order: the conditional request is aborted before the modal one starts', async () => {
    // Checked on a fresh page so the log is not lost to the navigation above.
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      // An authenticator with no passkey for this service: the modal request ends in an error.
      await addVirtualAuthenticator(page);
      await context.addInitScript(pendingAutofillScript);
      await page.goto(`${stack.url}/signin`);
      await expect.poll(() => webauthnLog(page)).toEqual(['start conditional#1']);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await expect.poll(() => webauthnLog(page), { timeout: 15_000 }).toContain('reject modal#2');
      const log = await webauthnLog(page);
      expect(log.indexOf('abort conditional#1')).toBeGreaterThanOrEqual(0);
      expect(log.indexOf('reject conditional#1')).toBeLessThan(log.indexOf('start modal#2'));
      // The failure is said in an error summary, which takes the focus.
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('nhsuk-error-summary');
    } finally {
      await context.close();
    }
  });
});

/** Presses Tab until `predicate` holds for the focused element; answers the ids or texts passed on the way. */
async function tabUntil(page: Page, target: string, limit = 20): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? el.id || el.textContent?.trim() || el.tagName : '';
    });
    passed.push(focused);
    if (focused === target) return passed;
  }
  throw new Error(`Tab never reached ${target}: ${passed.join(' → ')}`);
}

describe('keyboard only (WCAG 2.1.1, 2.4.3)', () => {
  it('signs in with a password and app code, then chooses a role, without a mouse', async () => {
    const password = 'a keyboard only passphrase';
    const person = await personWithRoles(2, { password });
    const invitation = await admin(stack, `/admin/users/${person.id}/enrolments`, 'POST');
    const { app } = await confirmAppOnInvitation(new HttpBrowser(stack.url), new URL(invitation.json.url).pathname);
    const tab = await AuthenticatorPage.open(browser());
    try {
      const { page } = tab;
      const { url, verifier } = authorizationUrl(stack, rp, { scope: 'openid selectedrole' });
      await page.goto(url);
      // Every control, in reading order, then the footer.
      const order = await tabUntil(page, 'Contact the service desk');
      expect(order).toEqual([
        'Skip to main content',
        'username',
        'Sign in with a passkey',
        'password',
        'totp-code',
        'Sign in with a password',
        'Manage your sign-in methods',
        'Accessibility statement',
        'Privacy notice',
        'Contact the service desk',
      ]);

      await page.goto(url);
      await tabUntil(page, 'username');
      await page.keyboard.type(person.userName);
      await tabUntil(page, 'password');
      await page.keyboard.type(password);
      await tabUntil(page, 'totp-code');
      await page.keyboard.type(await app.code());
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/select-role/);

      // Unanswered: the error summary takes the focus, and its link leads to the radios.
      await tabUntil(page, 'Continue');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('role-0');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);
      await tabUntil(page, 'Continue');
      await page.keyboard.press('Enter');
      const claims = await idTokenClaims(stack, rp, (await tab.callbackParams()).get('code')!, verifier);
      expect(claims).toMatchObject({ amr: ['PWD', 'TOTP'], selected_roleid: person.roleIds[1] });
    } finally {
      await tab.close();
    }
  });
});

describe('every page and state, in Chromium', () => {
  it('has zero axe violations at the WCAG 2.2 A and AA tags, a unique title, and reflows at 320 px', async () => {
    const reports: PageReport[] = [];
    const check = async (page: Page, name: string) => reports.push(await checkPage(page, name));
    const password = 'a long and memorable passphrase';
    const few = await personWithRoles(2, { password });
    const many = await personWithRoles(7, { password });
    const tab = await AuthenticatorPage.open(browser());
    try {
      const { page } = tab;
      await tab.attach(false);

      // The device verification page (RFC 8628 §3.3): the code form and a refused look-alike;
      // its approval and result pages are checked in test/e2e/device-flow.test.ts.
      await page.goto(`${stack.url}/device`);
      await check(page, 'device-code');
      await page.getByLabel('Code from your device').fill('BCDF-GHJ\u017F');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await check(page, 'device-code-error');

      // Enrolment: fresh, the app's wrong code and set-up, the passkey saved, the invitation used.
      const invitation = await admin(stack, `/admin/users/${few.id}/enrolments`, 'POST');
      await page.goto(invitation.json.url);
      await check(page, 'enrolment-fresh');
      await page.getByLabel('Code from the app').fill('12345');
      await page.getByRole('button', { name: 'Confirm the app' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await check(page, 'authenticator-app-error');
      const app = new AuthenticatorApp(fromBase32((await page.locator('#totp-secret').getAttribute('data-secret'))!));
      await page.getByLabel('Code from the app').fill(await app.code());
      await page.getByRole('button', { name: 'Confirm the app' }).click();
      await page.getByRole('status').filter({ hasText: /authenticator app is set up/ }).waitFor();
      await check(page, 'authenticator-app-set-up');
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.getByRole('heading', { name: 'Your passkey is saved' }).waitFor({ timeout: 15_000 });
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('enrol-saved-title');
      expect(await page.getByRole('button').count()).toBe(0);
      await check(page, 'enrolment-saved');
      await page.reload();
      await check(page, 'enrolment-used');
      await page.goto(`${stack.url}/enrol/${'A'.repeat(43)}`);
      await check(page, 'enrolment-unknown');

      // Sign-in: empty, refused; role choice with few roles, unanswered.
      const { url } = authorizationUrl(stack, rp, { scope: 'openid selectedrole' });
      await page.goto(url);
      await check(page, 'sign-in');
      await page.getByLabel('Username', { exact: true }).fill(few.userName);
      await page.getByLabel('Password', { exact: true }).fill('not the passphrase');
      await page.getByRole('button', { name: 'Sign in with a password' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
      await check(page, 'sign-in-error');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(/\/select-role/);
      await check(page, 'role-choice-few');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.title()).toMatch(/^Error: /);
      await check(page, 'role-choice-error');
      await page.getByRole('radio', { name: 'Nurse Access Role' }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await tab.callbackParams();
      await page.goto(`${stack.url}/signed-in`);
      await check(page, 'signed-in');

      // Many roles: the list, narrowed by the search (a GET, with or without script).
      await page.goto(authorizationUrl(stack, rp, { scope: 'openid selectedrole', prompt: 'login' }).url);
      await page.getByLabel('Username', { exact: true }).fill(many.userName);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in with a password' }).click();
      await page.waitForURL(/\/select-role/);
      await expect.poll(() => page.getByRole('radio').count()).toBe(7);
      await check(page, 'role-choice-many');
      await page.getByRole('searchbox', { name: 'Search your roles' }).fill('riverside');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/q=riverside/);
      await expect.poll(() => page.getByRole('radio').count()).toBe(3);
      await check(page, 'role-choice-many-searched');

      // Logout: the question, then signed out.
      await page.goto(`${stack.url}/logout`);
      await check(page, 'logout-confirm');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
      await check(page, 'signed-out');

      // Throttled after five failures (README, lockout).
      await page.goto(authorizationUrl(stack, rp).url);
      for (let i = 0; i < 6; i++) {
        await page.getByLabel('Username', { exact: true }).fill(many.userName);
        await page.getByLabel('Password', { exact: true }).fill(`wrong passphrase ${i}`);
        await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in with a password' }).click()]);
      }
      await expect.poll(() => page.locator('#error-summary').textContent()).toMatch(/too many attempts; try again in/i);
      await check(page, 'sign-in-throttled');

      // Error pages, the footer's pages, the demo relying party.
      await page.goto(`${stack.url}/authorize`);
      await check(page, 'error-bad-request');
      await page.goto(`${stack.url}/signin?interaction=gone`);
      await check(page, 'error-expired-request');

      for (const path of ['accessibility', 'privacy', 'contact']) {
        await page.goto(`${stack.url}/${path}`);
        await check(page, path);
      }
      await page.goto(stack.demoUrl);
      await check(page, 'demo-signed-out');
      const favicon = await page.request.get(`${stack.demoUrl}/favicon.ico`);
      expect(favicon.status()).toBe(200);
      expect(favicon.headers()['content-type']).toMatch(/^image\/svg\+xml/);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByRole('radio', { name: 'Clinical Practitioner Access Role' }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.locator('#id-token').waitFor();
      await check(page, 'demo-signed-in');

      // Last, the invitation made at the start, once it has expired.
      await new Promise((r) => setTimeout(r, Math.max(0, expiring.expiresAt - Date.now() + 1000)));
      await page.goto(expiring.url);
      await check(page, 'enrolment-expired');
    } finally {
      await tab.close();
    }

    console.log(reports.map((r) => `${r.name}: "${r.title}", ${r.violations.length} violations, overflow at 320 px ${r.overflowAt320}`).join('\n'));
    expect(reports.filter((r) => r.violations.length > 0)).toEqual([]);
    expect(reports.filter((r) => r.overflowAt320 > 0).map((r) => r.name)).toEqual([]);
    // Each page its own title; only states of one page share one (an error state starts "Error: ").
    const titles = new Map<string, string[]>();
    for (const r of reports) titles.set(r.title, [...(titles.get(r.title) ?? []), r.name]);
    expect([...titles.values()].filter((names) => names.length > 1)).toEqual([
      ['enrolment-fresh', 'authenticator-app-set-up'],
      ['sign-in-error', 'sign-in-throttled'],
      ['role-choice-few', 'role-choice-many', 'role-choice-many-searched'],
      ['error-bad-request', 'error-expired-request'],
    ]);
  });
});
