// Passkey autofill before any session: the sign-in page and its options call
// store nothing (the challenge waits in a sealed cookie), the challenge answers
// one assertion at most (W3C WebAuthn §13.4.3, spent in the replay cache), and
// the session opens only once the assertion verifies, within the address's limit.
import { env, listDurableObjectIds } from 'cloudflare:test';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../../workers/env.ts';
import { enrolPasskey, ORIGIN } from '../../support/webauthn/enrolment.ts';
import { Browser } from '../../support/worker/browser.ts';
import { testApp } from '../../support/worker/test-app.ts';
import { testPorts } from '../../support/worker/tokens.ts';

const OPTIONS = '/webauthn/authentication/options';
const VERIFY = '/webauthn/authentication/verify';
const sessionObjects = async () => new Set((await listDurableObjectIds((env as unknown as Env).SESSIONS)).map((id) => id.toString()));

async function autofillOptions(browser: Browser, headers: Record<string, string> = {}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const res = await browser.fetch(OPTIONS, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers }, body: '{}' });
  expect(res.status).toBe(200);
  return (await res.json()) as PublicKeyCredentialRequestOptionsJSON;
}

describe('passkey autofill opens no session before sign-in', () => {
  it('creates no session object for the page view and its autofill options; one when the assertion verifies', async () => {
    const { authenticator } = await enrolPasskey();
    const before = await sessionObjects();
    const browser = new Browser();
    expect((await browser.fetch('/signin')).status).toBe(200);
    const options = await autofillOptions(browser);
    expect(browser.cookie('session')).toBeUndefined();
    expect(await sessionObjects()).toEqual(before);

    const assertion = await authenticator.getAssertion(options, { origin: ORIGIN });
    const res = await browser.postJson(VERIFY, assertion);
    expect(res.status).toBe(200);
    const opened = [...(await sessionObjects())].filter((id) => !before.has(id));
    expect(opened).toEqual([browser.cookie('session')!.value.split('.')[0]]);
  });

  it('creates no session object for a failed assertion', async () => {
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const options = await autofillOptions(browser);
    const before = await sessionObjects();
    const assertion = await authenticator.getAssertion({ ...options, challenge: 'c29tZXRoaW5nLWVsc2U' }, { origin: ORIGIN });
    const res = await browser.postJson(VERIFY, assertion);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'authentication_failed' });
    expect(await sessionObjects()).toEqual(before);
    expect(browser.cookie('session')).toBeUndefined();
  });
});

describe('the sealed challenge is single use and short-lived (W3C WebAuthn §13.4.3)', () => {
  it('refuses the same challenge cookie presented again, even with a valid assertion (replay cache)', async () => {
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const options = await autofillOptions(browser);
    const sealed = browser.cookie('webauthn-challenge')!.value;
    const assertion = await authenticator.getAssertion(options, { origin: ORIGIN });
    expect((await browser.postJson(VERIFY, assertion)).status).toBe(200);
    // Another browser replaying the cookie, and the assertion that answered it.
    const replay = await new Browser().fetch(VERIFY, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: `webauthn-challenge=${sealed}` },
      body: JSON.stringify(await authenticator.getAssertion(options, { origin: ORIGIN })),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/no sign-in is in progress/) });
  });

  it('refuses a tampered challenge cookie (400 invalid_request) and opens no session', async () => {
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const options = await autofillOptions(browser);
    const [format, challenge, expiry, mac] = browser.cookie('webauthn-challenge')!.value.split('.') as [string, string, string, string];
    // A challenge of the attacker's choosing under the service's MAC, and a later expiry.
    const forged = 'A'.repeat(challenge.length);
    for (const value of [`${format}.${forged}.${expiry}.${mac}`, `${format}.${challenge}.${Number(expiry) + 60_000}.${mac}`]) {
      const res = await browser.fetch(VERIFY, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: `webauthn-challenge=${value}` },
        body: JSON.stringify(await authenticator.getAssertion({ ...options, challenge: forged }, { origin: ORIGIN })),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/no sign-in is in progress/) });
    }
    expect(browser.cookie('session')).toBeUndefined();
  });

  it('refuses a challenge cookie older than five minutes (400 invalid_request, expired)', async () => {
    const { authenticator } = await enrolPasskey();
    const app = testApp();
    const browser = new Browser(app.fetch);
    const options = await autofillOptions(browser);
    app.advance(5 * 60_000);
    const res = await browser.postJson(VERIFY, await authenticator.getAssertion(options, { origin: ORIGIN }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/expired/) });
    expect(browser.cookie('session')).toBeUndefined();
  });
});

describe('the session a sealed challenge signs in to (RATE_LIMIT_SESSIONS_PER_ADDRESS)', () => {
  it('counts the session a passkey sign-in opens against the address, and refuses past the limit (429)', async () => {
    const { authenticator } = await enrolPasskey();
    const config = testPorts().config;
    const app = testApp({ config: { ...config, rateLimits: { ...config.rateLimits, sessionsPerAddress: 1 } } });
    const headers = { 'cf-connecting-ip': '198.51.100.91' };
    const signIn = async () => {
      const browser = new Browser(app.fetch);
      const options = await autofillOptions(browser, headers);
      const assertion = await authenticator.getAssertion(options, { origin: ORIGIN });
      const res = await browser.fetch(VERIFY, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers }, body: JSON.stringify(assertion) });
      return { res, browser };
    };
    expect((await signIn()).res.status).toBe(200);
    // Page views and options calls are not counted: only the sign-in that opens a session.
    const over = await signIn();
    expect(over.res.status).toBe(429);
    expect(await over.res.json()).toMatchObject({ error: 'too_many_requests' });
    expect(over.browser.cookie('session')).toBeUndefined();
  });
});
