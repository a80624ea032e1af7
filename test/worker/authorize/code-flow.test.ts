import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { issuer } from '../../support/worker/requests.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { authorize, authorizePath, passkeySignIn, signInAndContinue } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';

/** Standard base64 (RFC 4648 §4), as CSP hash-sources use. */
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('the authorization code flow through the sign-in page (RFC 6749 §4.1, contract §6)', () => {
  it('sends a browser without a session to the sign-in page, then back to the client with code, state and iss (RFC 9207 §2)', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const state = 'af0ifjsldkj';
    const page = await browser.navigate(authorizePath(client, { state }));
    expect(page.status).toBe(200);
    expect(browser.url.pathname).toBe('/signin');
    expect(browser.url.searchParams.get('interaction')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await page.text()).toContain('Sign in with a passkey');

    const done = await signInAndContinue(browser, authenticator);
    expect(done.status).toBe(302);
    const location = new URL(done.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(client.redirect_uris[0]);
    expect(redirectParams(done)).toEqual({ code: expect.stringMatching(/^[0-9a-f]{64}\./), state, iss: issuer });
    expect(done.headers.get('cache-control')).toBe('no-store');
  });

  it('hands the grant store what the ID token needs: person, sid, scope, PKCE, nonce, acr (OIDC Core §3.1.3.6)', async () => {
    const app = testApp();
    const client = await registerClient();
    const { authenticator, person } = await enrolPasskey();
    const browser = new Browser(app.fetch);
    const done = await authorize(browser, client, authenticator, { scope: 'openid profile', nonce: 'n-0S6' });
    expect(redirectParams(done).code).toBeDefined();
    expect(app.issued).toHaveLength(1);
    expect(app.issued[0]).toMatchObject({
      clientId: client.client_id,
      personId: person.id,
      sessionId: expect.stringMatching(/^[0-9a-f]{64}$/),
      scope: ['openid', 'profile'],
      redirectUri: client.redirect_uris[0],
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      nonce: 'n-0S6',
      acr: 'AAL3_ANY',
      selectedRoleId: null,
      authentication: { personId: person.id, aal: 3, amr: ['FIDO2'], method: 'passkey', authTime: expect.any(Number) },
    });
    expect(browser.cookie('session')!.value.startsWith(`${app.issued[0]!.sessionId}.`)).toBe(true);
  });

  it('accepts the request by POST as a form (OIDC Core §3.1.2.1), and a left-out redirect_uri when only one is registered', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const query = new URL(authorizePath(client, { redirect_uri: undefined, state: 'posted' }), issuer).searchParams;
    const first = await browser.fetch('/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: query.toString(),
    });
    expect(first.status).toBe(303);
    await browser.navigate(first.headers.get('location')!);
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done)).toMatchObject({ state: 'posted', iss: issuer, code: expect.any(String) });
  });

  it('answers by form_post with an auto-submitting form its CSP allows by hash (Form Post Response Mode §2)', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    const done = await authorize(browser, client, authenticator, { response_mode: 'form_post', state: 'fp-1' });
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain(`<form method="post" action="${client.redirect_uris[0]}">`);
    expect(html).toMatch(/name="code" value="[0-9a-f]{64}\.[A-Za-z0-9_-]+"/);
    expect(html).toContain('name="state" value="fp-1"');
    expect(html).toContain(`name="iss" value="${issuer}"`);
    expect(html).toMatch(/<button[^>]*>\s*Continue\s*<\/button>/);
    const script = /<script>([^<]*)<\/script>/.exec(html)![1]!;
    const digest = base64(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(script))));
    const csp = done.headers.get('content-security-policy')!;
    expect(csp).toContain(`script-src 'sha256-${digest}'`);
    expect(csp).toContain('form-action https://rp.example.com');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(done.headers.get('cache-control')).toBe('no-store');
  });

  it('records the sign-in and the authorization in the audit log', async () => {
    const client = await registerClient();
    const { authenticator, person, credentialId } = await enrolPasskey();
    await authorize(new Browser(), client, authenticator);
    const events = await auditEventsFor(person.id);
    const signin = events.find((e) => e.action === 'signin');
    expect(signin).toMatchObject({ outcome: 'success', clientId: client.client_id });
    expect(signin!.details).toMatchObject({ method: 'passkey', level: 3, aaguid: expect.any(String), credentialId });
    expect(events.find((e) => e.action === 'authorize.success')).toMatchObject({ outcome: 'success', clientId: client.client_id });
  });

  it('does not issue a second code when the resume URL is replayed', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser();
    await browser.navigate(authorizePath(client));
    const verified = await passkeySignIn(browser, authenticator);
    const { redirect_to } = (await verified.json()) as { redirect_to: string };
    expect(redirect_to).toMatch(new RegExp(`^${issuer}/authorize/resume\\?interaction=`));
    const first = await browser.fetch(redirect_to);
    expect(redirectParams(first).code).toBeDefined();
    const again = await browser.fetch(redirect_to);
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect(await again.text()).toMatch(/expired or was already completed/);
  });
});

describe('single sign-on across clients (contract §6)', () => {
  it('gives a second client a code with no page, in the same session, and records both clients', async () => {
    const app = testApp();
    const [first, second] = [await registerClient(), await registerClient({ redirect_uris: ['https://other.example.com/cb'] })];
    const { authenticator } = await enrolPasskey();
    const browser = new Browser(app.fetch);
    await authorize(browser, first, authenticator);
    const sso = await browser.fetch(authorizePath(second, { state: 'sso' }));
    expect(sso.status).toBe(302);
    expect(sso.headers.get('location')!.startsWith('https://other.example.com/cb?')).toBe(true);
    expect(redirectParams(sso)).toMatchObject({ code: expect.any(String), state: 'sso', iss: issuer });
    expect(app.issued.map((g) => g.sessionId)).toEqual([app.issued[0]!.sessionId, app.issued[0]!.sessionId]);
    const session = await app.ports.sessions.load(browser.cookie('session')!.value, app.ports.now());
    expect(session!.clients.sort()).toEqual([first.client_id, second.client_id].sort());
  });
});
