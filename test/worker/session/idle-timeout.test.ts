import { describe, expect, it } from 'vitest';
import { authorize, authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { testApp } from '../../support/worker/test-app.ts';
import { testPorts } from '../../support/worker/tokens.ts';

const MINUTE = 60_000;

/** A browser signed in with a device-bound passkey (AAL3) through `app`. */
async function signedInAtAal3(app: ReturnType<typeof testApp>) {
  const client = await registerClient();
  const { authenticator } = await enrolPasskey();
  const browser = new Browser(app.fetch);
  const done = await authorize(browser, client, authenticator);
  expect(redirectParams(done).code).toBeDefined();
  expect(app.issued.at(-1)).toMatchObject({ authentication: { aal: 3 } });
  return { client, browser, authenticator };
}

describe('inactivity ends the higher levels (NIST SP 800-63B §4.3.3, §4.2.3; CONTRACT §6)', () => {
  it('a session idle 15 minutes no longer meets AAL3 classes: prompt=none gets login_required, AAL2 classes are still met', async () => {
    const app = testApp();
    const { client, browser } = await signedInAtAal3(app);
    app.advance(15 * MINUTE);
    const aal3 = await browser.fetch(authorizePath(client, { acr_values: 'AAL3_ANY', prompt: 'none', state: 's3' }));
    expect(redirectParams(aal3)).toMatchObject({ error: 'login_required', state: 's3' });
    const aal2 = await browser.fetch(authorizePath(client, { acr_values: 'AAL2_OR_AAL3_ANY', prompt: 'none' }));
    expect(redirectParams(aal2).code).toBeDefined();
    // The grant records the level the session still gave, not the one it began with.
    expect(app.issued.at(-1)).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', authentication: { aal: 2 } });
    // Activity at AAL2 does not bring AAL3 back.
    const again = await browser.fetch(authorizePath(client, { acr_values: 'AAL3_ANY', prompt: 'none' }));
    expect(redirectParams(again).error).toBe('login_required');
  });

  it('a session idle 30 minutes no longer meets AAL2 classes; an interactive request authenticates again and AAL3 is back', async () => {
    const app = testApp();
    const { client, browser, authenticator } = await signedInAtAal3(app);
    app.advance(30 * MINUTE);
    const silent = await browser.fetch(authorizePath(client, { acr_values: 'AAL2_ANY', prompt: 'none' }));
    expect(redirectParams(silent).error).toBe('login_required');
    await browser.navigate(authorizePath(client, { acr_values: 'AAL3_ANY', state: 'back' }));
    expect(browser.url.pathname).toBe('/signin');
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done)).toMatchObject({ code: expect.any(String), state: 'back' });
    expect(app.issued.at(-1)).toMatchObject({ acr: 'AAL3_ANY', authentication: { aal: 3 } });
  });

  it('activity keeps the level: a code issued every 10 minutes keeps the session at AAL3', async () => {
    const app = testApp();
    const { client, browser } = await signedInAtAal3(app);
    for (let i = 0; i < 3; i++) {
      app.advance(10 * MINUTE);
      const res = await browser.fetch(authorizePath(client, { acr_values: 'AAL3_ANY', prompt: 'none' }));
      expect(redirectParams(res).code).toBeDefined();
    }
  });

  it('follows SESSION_IDLE_AAL3 and SESSION_IDLE_AAL2 from configuration', async () => {
    const config = testPorts().config;
    const app = testApp({ config: { ...config, ttl: { ...config.ttl, sessionIdleAal3: 60, sessionIdleAal2: 120 } } });
    const { client, browser } = await signedInAtAal3(app);
    app.advance(MINUTE);
    expect(redirectParams(await browser.fetch(authorizePath(client, { acr_values: 'AAL3_ANY', prompt: 'none' }))).error).toBe('login_required');
    app.advance(2 * MINUTE);
    expect(redirectParams(await browser.fetch(authorizePath(client, { acr_values: 'AAL2_ANY', prompt: 'none' }))).error).toBe('login_required');
  });
});

describe('the session cookie ends with the browser (CONTRACT §6)', () => {
  it('has no Max-Age or Expires after sign-in', async () => {
    const app = testApp();
    const { browser } = await signedInAtAal3(app);
    expect(browser.cookie('session')!.raw).not.toMatch(/Max-Age|Expires/i);
  });

  it('lives as long as the session when the operator turns on the remembered-device policy (SESSION_REMEMBER_DEVICE)', async () => {
    const config = testPorts().config;
    const app = testApp({ config: { ...config, rememberDevice: true } });
    const { browser } = await signedInAtAal3(app);
    const maxAge = Number(/Max-Age=(\d+)/.exec(browser.cookie('session')!.raw)?.[1]);
    expect(maxAge).toBeGreaterThan(config.ttl.sessionMaxAge - 60);
    expect(maxAge).toBeLessThanOrEqual(config.ttl.sessionMaxAge);
  });
});
