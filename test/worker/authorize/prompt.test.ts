import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { issuer } from '../../support/worker/requests.ts';
import { authorize, authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';

describe('prompt (OIDC Core §3.1.2.1, contract §6)', () => {
  it('prompt=none without a session returns login_required with state and iss, and no page', async () => {
    const client = await registerClient();
    const res = await new Browser().fetch(authorizePath(client, { prompt: 'none', state: 'pn' }));
    expect(res.status).toBe(302);
    expect(redirectParams(res)).toMatchObject({ error: 'login_required', state: 'pn', iss: issuer });
  });

  it('prompt=none with a session that satisfies the request returns a code', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await authorize(browser, client, authenticator);
    const res = await browser.fetch(authorizePath(client, { prompt: 'none', state: 'pn2' }));
    expect(redirectParams(res)).toMatchObject({ code: expect.any(String), state: 'pn2', iss: issuer });
  });

  it('prompt=login shows the sign-in page even with a session, then issues with the new auth_time in the same session', async () => {
    const app = testApp();
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser(app.fetch);
    await authorize(browser, client, authenticator);
    app.advance(30_000);
    const page = await browser.navigate(authorizePath(client, { prompt: 'login' }));
    expect(page.status).toBe(200);
    expect(browser.url.pathname).toBe('/signin');
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done).code).toBeDefined();
    const [before, after] = app.issued;
    expect(after!.sessionId).toBe(before!.sessionId);
    expect(after!.authentication.authTime).toBeGreaterThanOrEqual(before!.authentication.authTime + 30);
  });

  it('select_account signs in again too; consent shows nothing (first-party clients)', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await authorize(browser, client, authenticator);
    await browser.navigate(authorizePath(client, { prompt: 'select_account' }));
    expect(browser.url.pathname).toBe('/signin');
    const consent = await browser.fetch(authorizePath(client, { prompt: 'consent' }));
    expect(redirectParams(consent).code).toBeDefined();
  });
});

describe('max_age (OIDC Core §3.1.2.1, contract §8)', () => {
  it('issues while auth_time is within max_age and asks for sign-in once it is older', async () => {
    const app = testApp();
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser(app.fetch);
    await authorize(browser, client, authenticator);
    app.advance(120_000);
    const within = await browser.fetch(authorizePath(client, { max_age: '300' }));
    expect(redirectParams(within).code).toBeDefined();

    const none = await browser.fetch(authorizePath(client, { max_age: '60', prompt: 'none', state: 'm' }));
    expect(redirectParams(none)).toMatchObject({ error: 'login_required', state: 'm', iss: issuer });

    await browser.navigate(authorizePath(client, { max_age: '60' }));
    expect(browser.url.pathname).toBe('/signin');
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done).code).toBeDefined();
    const last = app.issued.at(-1)!;
    expect(Math.floor(app.ports.now() / 1000) - last.authentication.authTime).toBeLessThanOrEqual(1);
  });

  it('max_age=0 always signs in again, and the sign-in it forces is enough', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await authorize(browser, client, authenticator);
    await browser.navigate(authorizePath(client, { max_age: '0', state: 'zero' }));
    expect(browser.url.pathname).toBe('/signin');
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done)).toMatchObject({ code: expect.any(String), state: 'zero' });
  });
});
