import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { issuer } from '../../support/worker/requests.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { authorize, authorizePath, passkeySignIn } from '../../support/sign-in.ts';

const OPTIONS = '/webauthn/authentication/options';
const VERIFY = '/webauthn/authentication/verify';

describe('the sign-in page (contract §6)', () => {
  it('has a heading, the passkey button, an autofill field, a place for the error summary, deferred scripts and a noscript message', async () => {
    const res = await new Browser().fetch('/signin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<h1>Sign in<\/h1>/);
    expect(html).toMatch(/<button type="button"[^>]*data-passkey-signin[^>]*>\s*Sign in with a passkey\s*<\/button>/);
    expect(html).toMatch(/<input[^>]*autocomplete="username webauthn"/);
    expect(html).toContain('<div data-passkey-error="true"></div>');
    expect(html).toMatch(/<script src="\/assets\/simplewebauthn-browser.js" defer/);
    expect(html).toMatch(/<script src="\/assets\/passkey-signin.js" defer/);
    expect(html).toMatch(/<noscript>[\s\S]*JavaScript[\s\S]*<\/noscript>/);
  });

  it('sends the page security headers: CSP with frame-ancestors none, X-Frame-Options DENY, no caching, no referrer', async () => {
    const res = await new Browser().fetch('/signin');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('shows an error page for an unknown or expired interaction', async () => {
    const res = await new Browser().fetch('/signin?interaction=unknown');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/expired or was already completed/);
  });

  it("names the client and prefills login_hint on the page of an authorization request", async () => {
    const client = await registerClient({ client_name: 'Clinical Portal', redirect_uris: ['https://rp.example.com/cb'] });
    const browser = new Browser();
    const page = await browser.navigate(authorizePath(client, { login_hint: 'ada@nhs.example' }));
    const html = await page.text();
    expect(html).toContain('to continue to Clinical Portal');
    expect(html).toContain('value="ada@nhs.example"');
    const interaction = browser.url.searchParams.get('interaction');
    expect(html).toContain(`data-options-body="{&quot;interaction&quot;:&quot;${interaction}&quot;}"`);
  });

  it('continues the request whose page asked for the challenge, when two are pending in one browser', async () => {
    const [first, second] = [await registerClient(), await registerClient({ redirect_uris: ['https://second.example.com/cb'] })];
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await browser.navigate(authorizePath(first, { state: 'tab-1' }));
    const firstInteraction = browser.url.searchParams.get('interaction')!;
    await browser.navigate(authorizePath(second, { state: 'tab-2' }));
    const res = await browser.postJson(OPTIONS, { interaction: firstInteraction });
    const options = (await res.json()) as PublicKeyCredentialRequestOptionsJSON;
    const assertion = await authenticator.getAssertion(options, { origin: new URL(issuer).origin });
    const { redirect_to } = (await (await browser.postJson(VERIFY, assertion)).json()) as { redirect_to: string };
    const done = await browser.navigate(redirect_to);
    expect(redirectParams(done)).toMatchObject({ state: 'tab-1', code: expect.any(String) });
  });
});

describe('the sign-in JSON API (contract §6)', () => {
  it('answers options for discoverable credentials; with no session the challenge waits in a sealed cookie, not in a new session', async () => {
    const browser = new Browser();
    const res = await browser.postJson(OPTIONS, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const options = (await res.json()) as PublicKeyCredentialRequestOptionsJSON;
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(options.userVerification).toBe('required');
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(browser.cookie('session')).toBeUndefined();
    const cookie = browser.cookie('webauthn-challenge')!;
    expect(cookie.value).toContain(`.${options.challenge}.`);
    // http://localhost: a plain name, no Secure (the Node tests cover __Host- on https).
    expect(cookie.raw).toMatch(/; Max-Age=300; Path=\/; HttpOnly; SameSite=Strict$/);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie when the passkey sign-in succeeds', async () => {
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    expect((await passkeySignIn(browser, authenticator)).status).toBe(200);
    const cookie = browser.cookie('session')!;
    expect(cookie.raw).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(cookie.raw).not.toMatch(/Secure|Domain/i);
    // The spent challenge's cookie is removed.
    expect(browser.cookie('webauthn-challenge')).toBeUndefined();
  });

  it('refuses a JSON post from a foreign Origin (403) and another content type (415) (CSRF)', async () => {
    const browser = new Browser();
    const foreign = await browser.postJson(OPTIONS, {}, 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(browser.cookie('session')).toBeUndefined();
    await browser.postJson(OPTIONS, {});
    const verify = await browser.postJson(VERIFY, {}, 'https://evil.example');
    expect(verify.status).toBe(403);
    const plain = await browser.fetch(OPTIONS, { method: 'POST', headers: { 'content-type': 'text/plain', origin: new URL(issuer).origin }, body: '{}' });
    expect(plain.status).toBe(415);
    expect((await browser.fetch(VERIFY)).status).toBe(405);
  });

  it('gives no challenge for a request that is no longer pending, so no assertion can end at /signed-in having lost it', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await browser.navigate(authorizePath(client, { state: 'kept' }));
    const interaction = browser.url.searchParams.get('interaction')!;
    // The page's request completes (another tab signed in and went on)...
    const options = (await (await browser.postJson(OPTIONS, { interaction })).json()) as PublicKeyCredentialRequestOptionsJSON;
    const assertion = await authenticator.getAssertion(options, { origin: new URL(issuer).origin });
    const { redirect_to } = (await (await browser.postJson(VERIFY, assertion)).json()) as { redirect_to: string };
    expect(redirectParams(await browser.navigate(redirect_to))).toMatchObject({ state: 'kept' });
    // ...so a second ceremony from the same page is refused before it starts.
    const late = await browser.postJson(OPTIONS, { interaction });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/expired or was already completed/) });
    expect((await new Browser().postJson(OPTIONS, { interaction: 'unknown' })).status).toBe(400);
  });

  it('refuses malformed bodies with 400 JSON, never 500', async () => {
    const browser = new Browser();
    await browser.postJson(OPTIONS, {});
    for (const body of ['{', '[]', '{"id":1}', JSON.stringify({ id: 'x', rawId: 'x', type: 'public-key', response: {} })]) {
      const res = await browser.postJson(VERIFY, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
    }
  });

  it('refuses an assertion without a challenge from this session, and a replayed one (single-use challenge)', async () => {
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const options = (await (await browser.postJson(OPTIONS, {})).json()) as PublicKeyCredentialRequestOptionsJSON;
    const assertion = await authenticator.getAssertion(options, { origin: new URL(issuer).origin });
    expect((await new Browser().postJson(VERIFY, assertion)).status).toBe(400);
    expect((await browser.postJson(VERIFY, assertion)).status).toBe(200);
    const replay = await browser.postJson(VERIFY, assertion);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('audits a failed assertion with the reason and the person', async () => {
    const { authenticator, person } = await enrolPasskey();
    const browser = new Browser();
    const options = (await (await browser.postJson(OPTIONS, {})).json()) as PublicKeyCredentialRequestOptionsJSON;
    const assertion = await authenticator.getAssertion({ ...options, challenge: 'c29tZXRoaW5nLWVsc2U' }, { origin: new URL(issuer).origin });
    const res = await browser.postJson(VERIFY, assertion);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'authentication_failed' });
    const failure = (await auditEventsFor(person.id)).find((e) => e.action === 'signin' && e.outcome === 'failure');
    expect(failure!.details).toMatchObject({ method: 'passkey', reason: 'verification_failed' });
  });

  it('without a pending request, signs in and sends the browser to a "You are signed in" page', async () => {
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const res = await passkeySignIn(browser, authenticator);
    expect(await res.json()).toEqual({ redirect_to: `${issuer}/signed-in` });
    const page = await browser.fetch('/signed-in');
    expect(await page.text()).toContain('You are signed in');
  });
});

describe('session fixation and switching people (OWASP session management)', () => {
  it('changes the cookie secret at sign-in; the cookie from before no longer reaches the session', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await browser.navigate(authorizePath(client));
    const before = browser.cookie('session')!.value;
    await passkeySignIn(browser, authenticator);
    const after = browser.cookie('session')!;
    expect(after.value).not.toBe(before);
    // CONTRACT §6: the cookie ends with the browser.
    expect(after.raw).not.toMatch(/Max-Age/);
    const stale = await new Browser().fetch(authorizePath(client, { prompt: 'none' }), { headers: { cookie: `session=${before}` } });
    expect(redirectParams(stale).error).toBe('login_required');
    const fresh = await browser.fetch(authorizePath(client, { prompt: 'none' }));
    expect(redirectParams(fresh).code).toBeDefined();
  });

  it('gives a different person signing in on the same browser a session of their own', async () => {
    const client = await registerClient();
    const ada = await enrolPasskey();
    const grace = await enrolPasskey();
    const browser = new Browser();
    await authorize(browser, client, ada.authenticator);
    const adaCookie = browser.cookie('session')!.value;
    await browser.navigate(authorizePath(client, { prompt: 'login' }));
    const verified = await passkeySignIn(browser, grace.authenticator);
    const { redirect_to } = (await verified.json()) as { redirect_to: string };
    // The pending request moved with them to the new session.
    expect(redirectParams(await browser.navigate(redirect_to)).code).toBeDefined();
    const graceCookie = browser.cookie('session')!.value;
    expect(graceCookie.split('.')[0]).not.toBe(adaCookie.split('.')[0]);
    const old = await new Browser().fetch(authorizePath(client, { prompt: 'none' }), { headers: { cookie: `session=${adaCookie}` } });
    expect(redirectParams(old).error).toBe('login_required');
  });
});
