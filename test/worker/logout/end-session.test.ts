import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import type { Env } from '../../../workers/env.ts';
import { createSessionStore } from '../../../workers/session-store.ts';
import { authorizePath } from '../../support/sign-in.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { POST_LOGOUT_REDIRECT_URI, registerLogoutClient, signInTo, type SignedIn } from '../../support/worker/logout.ts';
import { issuer } from '../../support/worker/requests.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { testPorts, workerEnv } from '../../support/worker/tokens.ts';

const sessions = createSessionStore(workerEnv.SESSIONS, readConfig(workerEnv as Env));

const logoutPath = (params: Record<string, string>) => `/logout?${new URLSearchParams(params)}`;

async function sessionIsLive(s: SignedIn): Promise<boolean> {
  return (await sessions.load(s.handle, Date.now())) !== null;
}

/** An ID token signed with the service's own current key: to make hints the token endpoint would not (expired, foreign iss). */
async function signedWithOurKey(claims: Record<string, unknown>): Promise<string> {
  const key = await testPorts().keys.signingKey('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&');
  return fields;
}

describe('discovery of logout (RP-Initiated Logout 1.0 §2.1, Back-Channel Logout 1.0 §2.1)', () => {
  it('advertises end_session_endpoint and back-channel logout with sid', async () => {
    const doc = (await (await new Browser().fetch('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      end_session_endpoint: `${issuer}/logout`,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });
});

describe('RP-initiated logout with a valid id_token_hint (OIDC RP-Initiated Logout 1.0 §2, §3)', () => {
  it('ends the browser\'s session, clears the cookie and redirects to the registered URI with state; prompt=none then answers login_required', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const res = await s.browser.fetch(logoutPath({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'bye-1' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=bye-1`);
    expect(res.headers.getSetCookie().join('\n')).toMatch(/^session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax$/m);
    expect(s.browser.cookie('session')).toBeUndefined();
    expect(await sessions.end(s.sessionId)).toBeNull();
    // The old cookie, replayed, is no longer a session either.
    const again = new Browser();
    const after = await again.fetch(authorizePath(client, { prompt: 'none', state: 'after' }));
    expect(redirectParams(after)).toMatchObject({ error: 'login_required', state: 'after' });
    const audit = (await auditEventsFor(s.person.id)).find((e) => e.action === 'logout');
    expect(audit).toMatchObject({ outcome: 'success', clientId: client.client_id, details: { sid: s.sessionId, confirmed: false, hint: true } });
  });

  it('accepts the same parameters by POST as a form', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const res = await s.browser.postForm('/logout', { id_token_hint: s.idToken, client_id: client.client_id, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'posted' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=posted`);
    expect(await sessionIsLive(s)).toBe(false);
  });

  it('shows "You have signed out" when no post_logout_redirect_uri is given, ignoring ui_locales and logout_hint', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const handle = s.browser.cookie('session')!.value;
    const res = await s.browser.fetch(logoutPath({ id_token_hint: s.idToken, ui_locales: 'cy', logout_hint: 'someone' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.text()).toMatch(/<h1>You have signed out<\/h1>/);
    expect(await sessions.load(handle, Date.now())).toBeNull();
  });

  it('accepts an expired ID token as the hint (§2: the OP should accept one whose exp has passed)', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const past = Math.floor(Date.now() / 1000) - 7200;
    const { sub } = JSON.parse(atob(s.idToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub: string };
    const expired = await signedWithOurKey({ iss: issuer, sub, aud: client.client_id, iat: past, exp: past + 600, sid: s.sessionId });
    const res = await s.browser.fetch(logoutPath({ id_token_hint: expired, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'late' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=late`);
    expect(await sessionIsLive(s)).toBe(false);
  });
});

describe('requests that do not validate are shown an error page, never redirected (§4)', () => {
  const cases: [string, (s: SignedIn, clientId: string) => Promise<Record<string, string>>, RegExp][] = [
    ['an id_token_hint with a bad signature', async (s) => ({ id_token_hint: `${s.idToken.slice(0, -6)}AAAAAA` }), /id_token_hint/],
    [
      'an id_token_hint signed by another key',
      async (s, clientId) => {
        const { privateKey } = await generateKeyPair('RS256');
        return { id_token_hint: await new SignJWT({ iss: issuer, sub: 'x', aud: clientId, sid: s.sessionId }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey) };
      },
      /id_token_hint/,
    ],
    ['an id_token_hint from another issuer', async (s, clientId) => ({ id_token_hint: await signedWithOurKey({ iss: 'https://other.example', sub: 'x', aud: clientId, sid: s.sessionId }) }), /id_token_hint/],
    ['an access token as the hint (typ at+jwt)', async (s) => ({ id_token_hint: s.tokens.access_token }), /id_token_hint/],
    ['a client_id other than the hint\'s aud', async (s) => ({ id_token_hint: s.idToken, client_id: 'someone-else' }), /client_id does not match/],
    ['an unregistered post_logout_redirect_uri', async (s) => ({ id_token_hint: s.idToken, post_logout_redirect_uri: 'https://evil.example/' }), /not registered/],
    ['a post_logout_redirect_uri differing only in a trailing slash', async (s) => ({ id_token_hint: s.idToken, post_logout_redirect_uri: `${POST_LOGOUT_REDIRECT_URI}/` }), /not registered/],
    ['a post_logout_redirect_uri with no client named', async () => ({ post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'x' }), /needs id_token_hint or client_id/],
    ['an unknown client_id', async () => ({ client_id: 'no-such-client', post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI }), /not registered/],
  ];

  it.each(cases)('refuses %s with 400 and leaves the session live', async (_, params, message) => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const res = await s.browser.fetch(logoutPath(await params(s, client.client_id)));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html).toContain('There is a problem with this sign-out request');
    expect(html).toMatch(message);
    expect(html).toContain('invalid_request');
    expect(await sessionIsLive(s)).toBe(true);
  });

  it('refuses a repeated parameter, a POST that is not a form (400) and other methods (405)', async () => {
    const browser = new Browser();
    expect((await browser.fetch('/logout?state=a&state=b')).status).toBe(400);
    const json = await browser.fetch('/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    const put = await browser.fetch('/logout', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});

describe('a request that cannot prove the client asks first (§2: the OP MUST ask without a valid hint for this session)', () => {
  it('shows "Do you want to sign out?" for client_id alone, then signs out on the CSRF-protected form and redirects with state', async () => {
    const client = await registerLogoutClient(null, { client_name: 'Ward system' });
    const s = await signInTo(client);
    const page = await s.browser.fetch(logoutPath({ client_id: client.client_id, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'asked' }));
    expect(page.status).toBe(200);
    // The form posts here and is then redirected to the client: CSP must allow both.
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://rp.example.com");
    const html = await page.text();
    expect(html).toMatch(/<h1>Do you want to sign out\?<\/h1>/);
    expect(html).toContain('Ward system asked to sign you out.');
    expect(html).toMatch(/<button type="submit" class="nhsuk-button">\s*Sign out\s*<\/button>/);
    expect(await sessionIsLive(s)).toBe(true);

    const fields = hiddenFields(html);
    expect(fields).toMatchObject({ client_id: client.client_id, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'asked' });
    expect(fields.csrf_token).toMatch(/.{20,}/);
    const done = await s.browser.postForm('/logout', fields);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=asked`);
    expect(await sessionIsLive(s)).toBe(false);
    const audit = (await auditEventsFor(s.person.id)).find((e) => e.action === 'logout');
    expect(audit?.details).toMatchObject({ confirmed: true, hint: false });
  });

  it('refuses the confirmation with a wrong or missing CSRF token (403) and keeps the session', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const fields = hiddenFields(await (await s.browser.fetch('/logout')).text());
    const forged = await s.browser.postForm('/logout', { ...fields, csrf_token: 'forged-token-value' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('the form has expired');
    expect(await sessionIsLive(s)).toBe(true);
    const bare = await s.browser.postForm('/logout', {});
    // Without our token, a POST is an RP's request: asked again, not signed out.
    expect(bare.status).toBe(200);
    expect(await bare.text()).toContain('Do you want to sign out?');
    expect(await sessionIsLive(s)).toBe(true);
  });

  it('asks when the hint names another session, then ends only the browser\'s own (its sid is not this cookie\'s)', async () => {
    const client = await registerLogoutClient(null);
    const mine = await signInTo(client);
    const theirs = await signInTo(client);
    const page = await mine.browser.fetch(logoutPath({ id_token_hint: theirs.idToken, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI }));
    expect(page.status).toBe(200);
    const fields = hiddenFields(await page.text());
    expect(fields.id_token_hint).toBe(theirs.idToken);
    const done = await mine.browser.postForm('/logout', fields);
    expect(done.status).toBe(303);
    expect(await sessionIsLive(mine)).toBe(false);
    expect(await sessionIsLive(theirs)).toBe(true);
  });

  it('with nothing signed in, ends nothing and redirects at once with state', async () => {
    const client = await registerLogoutClient(null);
    const res = await new Browser().fetch(logoutPath({ client_id: client.client_id, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'nobody' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=nobody`);
  });

  it('continues a cookieless cross-site POST as a GET, which carries the SameSite=Lax cookie', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const params = { id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'xsite' };
    const posted = await new Browser().postForm('/logout', params, 'https://rp.example.com');
    expect(posted.status).toBe(303);
    const next = new URL(posted.headers.get('location')!, issuer);
    expect(next.pathname).toBe('/logout');
    expect(Object.fromEntries(next.searchParams)).toEqual(params);
    const res = await s.browser.fetch(next.pathname + next.search);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=xsite`);
    expect(await sessionIsLive(s)).toBe(false);
  });
});
