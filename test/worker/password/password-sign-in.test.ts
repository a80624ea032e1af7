import { describe, expect, it } from 'vitest';
import { errorSummaryItems, inlineErrors, pageTitle } from '../../support/pages.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { createPasswordPerson, passwordSignIn, passwordSignInAndContinue, submitPasswordForm } from '../../support/worker/password.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { authorizePath } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';
import { issuer } from '../../support/worker/requests.ts';

/** A browser on the sign-in page of a fresh authorization request. */
async function atSignIn(params: Record<string, string> = {}) {
  const app = testApp();
  const client = await registerClient();
  const browser = new Browser(app.fetch);
  await browser.navigate(authorizePath(client, params));
  expect(browser.url.pathname).toBe('/signin');
  return { app, client, browser };
}

describe('the sign-in page offers a password and authenticator app (contract §8, docs/assurance.md)', () => {
  it('shows a no-script form beside the passkey button, carrying the session CSRF token and the request', async () => {
    const { browser } = await atSignIn();
    const html = await (await browser.fetch(browser.url)).text();
    expect(html).toMatch(/data-passkey-signin[^>]*>\s*Sign in with a passkey/);
    expect(html).toContain('Or sign in with a password and authenticator app');
    expect(html).toMatch(/<form method="post" action="\/signin\/password"/);
    expect(html).toMatch(/name="csrf_token" value="[A-Za-z0-9_-]{43}"/);
    expect(html).toContain(`name="interaction" value="${browser.url.searchParams.get('interaction')}"`);
    expect(html).toMatch(/autocomplete="one-time-code"/);
  });

  it('has one username field, for passkey autofill and the password alike, inside the password form', async () => {
    const { browser } = await atSignIn();
    const html = await (await browser.fetch(browser.url)).text();
    expect(html.match(/name="username"/g)).toHaveLength(1);
    const form = html.slice(html.indexOf('<form method="post" action="/signin/password"'), html.indexOf('</form>'));
    expect(form).toMatch(/<input[^>]*id="username"[^>]*name="username"[^>]*autocomplete="username webauthn"/);
    // The passkey button comes first and is the primary button; the password one is secondary.
    expect(form.indexOf('data-passkey-signin')).toBeLessThan(form.indexOf('id="password"'));
    expect(form).toMatch(/<button type="button" class="nhsuk-button" data-passkey-signin/);
    expect(form).toMatch(/<button type="submit" class="nhsuk-button nhsuk-button--secondary">\s*Sign in with a password/);
    expect(errorSummaryItems(html)).toEqual([]);
    expect(pageTitle(html)).toBe('Sign in to continue to Test relying party – Workforce identity');
  });
});

describe('password + TOTP sign-in (contract §8: AAL2, amr PWD TOTP)', () => {
  it('signs in at AAL2 with amr ["PWD","TOTP"], rotates the cookie and returns to the client', async () => {
    const { app, browser } = await atSignIn({ state: 'pw' });
    const who = await createPasswordPerson();
    const before = browser.cookie('session')!.value;
    const done = await passwordSignInAndContinue(browser, who);
    expect(redirectParams(done)).toMatchObject({ code: expect.any(String), state: 'pw', iss: issuer });
    expect(app.issued[0]).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', authentication: { aal: 2, amr: ['PWD', 'TOTP'], method: 'password_totp' } });
    expect(browser.cookie('session')!.value).not.toBe(before);
    const signin = (await auditEventsFor(who.person.id)).find((e) => e.action === 'signin');
    expect(signin).toMatchObject({ outcome: 'success', details: { method: 'password_totp', level: 2, amr: ['PWD', 'TOTP'], aaguid: null } });
  });

  it('signs a person without an app in at AAL1 with amr ["PWD"] (AAL1_USERPASS)', async () => {
    const { app, browser } = await atSignIn();
    const who = await createPasswordPerson({ app: false });
    await passwordSignInAndContinue(browser, who);
    expect(app.issued[0]).toMatchObject({ acr: 'AAL1_USERPASS', authentication: { aal: 1, amr: ['PWD'], method: 'password' } });
  });

  it('finds the person by userName whatever its case (RFC 7643 §4.1.1 caseExact=false)', async () => {
    const { app, browser } = await atSignIn();
    const who = await createPasswordPerson();
    const res = await submitPasswordForm(browser, { username: who.person.userName.toUpperCase(), password: who.password, code: await who.app!.code() });
    expect(res.status).toBe(303);
    await browser.navigate(res.headers.get('location')!);
    expect(app.issued).toHaveLength(1);
  });

  it.each([
    ['a wrong password', { password: 'wrong horse battery staple' }, 'wrong_password'],
    ['a wrong code', { code: '000000' }, 'wrong_code'],
    ['no code from a person who has an app', { code: '' }, 'missing_code'],
  ])('refuses %s with 401 and the same message, and records why', async (_what, change, reason) => {
    const { browser } = await atSignIn();
    const who = await createPasswordPerson();
    const before = browser.cookie('session')!.value;
    const code = 'code' in change ? change.code : await who.app!.code();
    const res = await submitPasswordForm(browser, { username: who.person.userName, password: 'password' in change ? change.password : who.password, code });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(errorSummaryItems(html)).toEqual(['The username, password or code is not right → #password']);
    expect(inlineErrors(html)).toEqual(['The username, password or code is not right']);
    expect(pageTitle(html)).toMatch(/^Error: Sign in/);
    expect(html).toContain(`value="${who.person.userName}"`);
    expect(browser.cookie('session')!.value).toBe(before);
    const failure = (await auditEventsFor(who.person.id)).find((e) => e.action === 'signin' && e.outcome === 'failure');
    expect(failure!.details).toMatchObject({ reason });
  });

  it('refuses an unknown username exactly as a wrong password', async () => {
    const { browser } = await atSignIn();
    const res = await submitPasswordForm(browser, { username: 'nobody-at-all', password: 'correct horse battery staple', code: '123456' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('The username, password or code is not right');
  });

  it('refuses a code already used, even from another browser (RFC 6238 §5.2)', async () => {
    const who = await createPasswordPerson();
    const first = await atSignIn();
    const code = await who.app!.code();
    expect((await submitPasswordForm(first.browser, { username: who.person.userName, password: who.password, code })).status).toBe(303);
    const second = await atSignIn();
    const replay = await submitPasswordForm(second.browser, { username: who.person.userName, password: who.password, code });
    expect(replay.status).toBe(401);
    const reasons = (await auditEventsFor(who.person.id)).filter((e) => e.action === 'signin' && e.outcome === 'failure').map((e) => e.details.reason);
    expect(reasons).toEqual(['code_replayed']);
  });

  it('refuses a form without the session CSRF token with 403, and signs nobody in', async () => {
    const { browser, app } = await atSignIn();
    const who = await createPasswordPerson({ app: false });
    const res = await browser.postForm('/signin/password', { csrf_token: 'forged', username: who.person.userName, password: who.password });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('the form has expired');
    expect(app.issued).toHaveLength(0);
  });

  it('asks for both fields when one is empty (400), without counting a failure', async () => {
    const { browser } = await atSignIn();
    const who = await createPasswordPerson({ app: false });
    const res = await submitPasswordForm(browser, { username: who.person.userName, password: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Enter your username and password');
    expect((await auditEventsFor(who.person.id)).filter((e) => e.action === 'signin')).toEqual([]);
  });

  it('signs in from the plain sign-in page (no request) to /signed-in', async () => {
    const who = await createPasswordPerson();
    const browser = new Browser();
    await browser.fetch('/signin');
    const res = await passwordSignIn(browser, who);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${issuer}/signed-in`);
  });
});
