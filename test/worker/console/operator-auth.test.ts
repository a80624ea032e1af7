// Operator sign-in and the operator guard: the console signs operators in at
// AAL3 through the service's own /authorize, and checks the session, the grant
// under it, the operator role and the CSRF token on every request.
import { describe, expect, it } from 'vitest';
import { CONSOLE_CLIENT_ID } from '../../../src/console/console-client.ts';
import { consoleCookieName, loginCookieName, loginStateSchema, unseal } from '../../../src/console/console-cookie.ts';
import { s256CodeChallenge } from '../../../src/oauth/pkce.ts';
import { signInAndContinue } from '../../support/sign-in.ts';
import { TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';
import { Browser } from '../../support/worker/browser.ts';
import { consoleSignIn, csrfTokenOf, enrolOperator } from '../../support/worker/console.ts';
import { auditEventsFor, patchUser, RBAC_USER } from '../../support/worker/scim.ts';
import { testApp } from '../../support/worker/test-app.ts';

const MINUTE = 60_000;
const COOKIE = consoleCookieName(TEST_ISSUER);

describe('console sign-in (OIDC Core §3.1 through the service itself, CONTRACT §8 AAL3)', () => {
  it('sends a browser without a console session to /console/login, which pushes an AAL3 request with PKCE (RFC 9126) and sends the browser on with its request_uri alone', async () => {
    const app = testApp();
    const browser = new Browser(app.fetch);
    const res = await browser.fetch('/console/people?q=ada');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login?return_to=%2Fconsole%2Fpeople%3Fq%3Dada');
    const login = await browser.fetch(res.headers.get('location')!);
    expect(login.status).toBe(303);
    const authorize = new URL(login.headers.get('location')!, TEST_ISSUER);
    expect(authorize.pathname).toBe('/authorize');
    expect([...authorize.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
    expect(authorize.searchParams.get('client_id')).toBe(CONSOLE_CLIENT_ID);
    expect(login.headers.getSetCookie().join('\n')).toMatch(/console-login=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600/);
    const pushed = await app.ports.pushedRequests.take(authorize.searchParams.get('request_uri')!, CONSOLE_CLIENT_ID);
    expect(pushed.ok && pushed.params).toMatchObject({
      redirect_uri: `${TEST_ISSUER}/console/callback`,
      acr_values: 'AAL3_ANY',
      code_challenge_method: 'S256',
      response_type: 'code',
    });
  });

  it('refuses an authorization request for the console that was not pushed by the console itself (RFC 9126 §5)', async () => {
    // The console's client exists once a login has started.
    await new Browser().fetch('/console/login');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: `${TEST_ISSUER}/console/callback`,
      scope: 'openid',
      state: 's',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      acr_values: 'AAL2_OR_AAL3_ANY',
    });
    const res = await new Browser().fetch(`/authorize?${query}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.pathname).toBe('/console/callback');
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('signs an operator in with a device-bound passkey, returns to the page asked for, and sets an HttpOnly SameSite=Strict session cookie; audited as the operator', async () => {
    const operator = await enrolOperator();
    const { browser, response } = await consoleSignIn(operator, '/console/people?q=lovelace');
    expect(response.status).toBe(200);
    expect(browser.url.pathname + browser.url.search).toBe('/console/people?q=lovelace');
    const html = await response.text();
    expect(html).toContain('Signed in as Dr Ada Lovelace');
    expect(browser.cookie(COOKIE)?.raw).toMatch(/^console=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const events = await auditEventsFor(operator.person.id);
    expect(events.find((e) => e.action === 'console.sign_in')).toMatchObject({ actor: operator.person.id, outcome: 'success' });
  });

  it('refuses a signed-in person without the operator role with a 403 page, and audits the attempt', async () => {
    const person = await enrolOperator({ operator: false });
    const { browser, response } = await consoleSignIn(person);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('You cannot use the operator console');
    expect(browser.cookie(COOKIE)).toBeUndefined();
    const events = await auditEventsFor(person.person.id);
    expect(events.find((e) => e.action === 'console.sign_in')).toMatchObject({ outcome: 'failure', details: { reason: 'not_an_operator' } });
  });

  it('refuses an operator whose only passkey is synced (AAL2): the AAL3 request cannot be met', async () => {
    const operator = await enrolOperator({ create: { backedUp: true } });
    const { browser, response } = await consoleSignIn(operator);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Sign in with a passkey kept on one device');
    expect(browser.cookie(COOKIE)).toBeUndefined();
  });

  it('refuses an AAL2 code at the callback even if a console request asked for less than AAL3', async () => {
    const app = testApp();
    const operator = await enrolOperator({ create: { backedUp: true } });
    const browser = new Browser(app.fetch);
    await browser.fetch('/console/login');
    // The login state the callback will check, as only the service could read it.
    const name = loginCookieName(TEST_ISSUER);
    const login = (await unseal(TEST_KEY_ENCRYPTION_SECRET, name, browser.cookie(name)!.value, loginStateSchema))!;
    const requestUri = await app.ports.pushedRequests.push(
      CONSOLE_CLIENT_ID,
      {
        response_type: 'code',
        client_id: CONSOLE_CLIENT_ID,
        redirect_uri: `${TEST_ISSUER}/console/callback`,
        scope: 'openid',
        state: login.state,
        nonce: login.nonce,
        code_challenge: await s256CodeChallenge(login.codeVerifier),
        code_challenge_method: 'S256',
        acr_values: 'AAL2_OR_AAL3_ANY',
      },
      60,
    );
    await browser.navigate(`/authorize?client_id=${CONSOLE_CLIENT_ID}&request_uri=${encodeURIComponent(requestUri)}`);
    expect(browser.url.pathname).toBe('/signin');
    const response = await signInAndContinue(browser, operator.authenticator);
    expect(browser.url.pathname).toBe('/console/callback');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Sign in with a passkey kept on one device');
    expect(browser.cookie(COOKIE)).toBeUndefined();
    const events = await auditEventsFor(operator.person.id);
    expect(events.find((e) => e.action === 'console.sign_in')).toMatchObject({ outcome: 'failure', details: { reason: 'not_aal3' } });
  });

  it('refuses a callback whose state does not match the login started in this browser (RFC 6749 §10.12)', async () => {
    const browser = new Browser();
    await browser.fetch('/console/login');
    const res = await browser.fetch(`/console/callback?code=x&state=${'a'.repeat(43)}&iss=${encodeURIComponent(TEST_ISSUER)}`);
    expect(res.status).toBe(400);
    expect(browser.cookie(COOKIE)).toBeUndefined();
  });

  it('does not redirect anywhere but the console after sign-in (RFC 9700 §4.11)', async () => {
    const operator = await enrolOperator();
    const browser = new Browser();
    for (const returnTo of ['https://evil.example/', '//evil.example/console', '/console/../admin/audit', '/console/%2e%2e/register']) {
      const { response } = await consoleSignIn(operator, `/console/login?return_to=${encodeURIComponent(returnTo)}`, browser);
      expect(response.status).toBe(200);
      expect(browser.url.origin).toBe(new URL(TEST_ISSUER).origin);
      expect(browser.url.pathname).toBe('/console/people');
    }
  });
});

describe('the operator guard, on every request', () => {
  it('refuses on the next request an operator deactivated mid-session (SCIM active false)', async () => {
    const operator = await enrolOperator();
    const { browser } = await consoleSignIn(operator);
    expect((await patchUser(operator.person.id, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
    const next = await browser.fetch('/console/people');
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toMatch(/^\/console\/login/);
    expect(browser.cookie(COOKIE)).toBeUndefined();
  });

  it('refuses on the next request an operator whose operator role was removed, though their session lives on', async () => {
    const operator = await enrolOperator();
    const { browser } = await consoleSignIn(operator);
    const res = await patchUser(operator.person.id, [{ op: 'replace', path: `${RBAC_USER}:roles`, value: [] }]);
    expect(res.status).toBe(200);
    const next = await browser.fetch('/console/people');
    expect(next.status).toBe(403);
    expect(await next.text()).toContain('You cannot use the operator console');
  });

  it('refuses a console session whose grant rests on less than AAL3', async () => {
    const app = testApp();
    const operator = await enrolOperator();
    const { browser } = await consoleSignIn(operator, '/console/people', new Browser(app.fetch));
    expect(browser.url.pathname).toBe('/console/people');
    // The grant store now reports the same grant at AAL2: the guard reads the level from the grant, not the cookie.
    const findGrant = app.ports.grants.findGrant;
    app.ports.grants.findGrant = async (id) => {
      const grant = await findGrant(id);
      return grant && { ...grant, authentication: { ...grant.authentication, aal: 2 } };
    };
    const next = await browser.fetch('/console/people');
    expect(next.status).toBe(403);
    expect(await next.text()).toContain('Sign in with a passkey kept on one device');
  });

  it('ends the console session after 15 minutes without a request (NIST SP 800-63B §4.3.3), and activity keeps it', async () => {
    const app = testApp();
    const operator = await enrolOperator();
    const { browser } = await consoleSignIn(operator, '/console/people', new Browser(app.fetch));
    app.advance(10 * MINUTE);
    expect((await browser.fetch('/console/people')).status).toBe(200);
    app.advance(10 * MINUTE);
    expect((await browser.fetch('/console/people')).status).toBe(200);
    app.advance(15 * MINUTE);
    const idle = await browser.fetch('/console/people');
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toMatch(/^\/console\/login/);
  });

  it('refuses a POST without the CSRF token, or with another one, and the session survives', async () => {
    const operator = await enrolOperator();
    const { browser, response } = await consoleSignIn(operator);
    const token = csrfTokenOf(await response.text());
    expect((await browser.postForm('/console/logout', {})).status).toBe(403);
    expect((await browser.postForm('/console/logout', { csrf_token: 'x'.repeat(43) })).status).toBe(403);
    expect((await browser.fetch('/console/people')).status).toBe(200);
    const out = await browser.postForm('/console/logout', { csrf_token: token });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/signed-out');
    expect(browser.cookie(COOKIE)).toBeUndefined();
  });

  it('signing out ends the single sign-on session too: the console asks for the passkey again; audited', async () => {
    const operator = await enrolOperator();
    const { browser, response } = await consoleSignIn(operator);
    await browser.postForm('/console/logout', { csrf_token: csrfTokenOf(await response.text()) });
    await browser.navigate('/console/people');
    expect(browser.url.pathname).toBe('/signin');
    const events = await auditEventsFor(operator.person.id);
    expect(events.find((e) => e.action === 'console.sign_out')).toMatchObject({ actor: operator.person.id, details: { via: 'console', operatorUid: operator.person[RBAC_USER].uid } });
  });

  it('refuses a forged or tampered console cookie', async () => {
    const browser = new Browser();
    const res = await browser.fetch('/console/people', { headers: { cookie: `${COOKIE}=v1.AAAAAAAAAAAAAAAA.${'B'.repeat(64)}` } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/console\/login/);
  });
});
