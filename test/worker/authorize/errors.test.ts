import { describe, expect, it } from 'vitest';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient, type RegisteredClient } from '../../support/worker/clients.ts';
import { issuer } from '../../support/worker/requests.ts';
import { authorizePath } from '../../support/sign-in.ts';

/** One request as a browser sends it, redirects not followed. */
const call = (path: string, init: RequestInit = {}) => new Browser().fetch(path, init);

let shared: RegisteredClient | undefined;
async function client(): Promise<RegisteredClient> {
  shared ??= await registerClient({ client_name: 'Errors RP', redirect_uris: ['https://rp.example.com/callback'] });
  return shared;
}

/** Errors before the client and redirect URI are trusted: a page, never a redirect. */
async function expectErrorPage(res: Response, text: RegExp): Promise<void> {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(await res.text()).toMatch(text);
}

describe('errors before the redirect URI is trusted are shown, not redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.1.3)', () => {
  it('shows a page for an unknown client_id', async () => {
    const c = await client();
    await expectErrorPage(await call(authorizePath({ ...c, client_id: 'no-such-client' })), /not a registered client/);
  });

  it('shows a page for a request_uri this server never issued (RFC 9126 §4)', async () => {
    const c = await client();
    await expectErrorPage(await call(authorizePath(c, { request_uri: 'urn:ietf:params:oauth:request_uri:x' })), /request_uri/);
  });

  it('shows a page for a missing or repeated client_id', async () => {
    const c = await client();
    await expectErrorPage(await call(authorizePath(c, { client_id: undefined })), /client_id/);
    await expectErrorPage(await call(`${authorizePath(c)}&client_id=${c.client_id}`), /client_id/);
  });

  it.each([
    ['a trailing slash', 'https://rp.example.com/callback/'],
    ['a different port', 'https://rp.example.com:444/callback'],
    ['a different path', 'https://rp.example.com/other'],
    ['an attacker host', 'https://evil.example/callback'],
    ['an unparseable value', 'not a uri'],
  ])('shows a page for a redirect_uri with %s (exact match)', async (_, redirectUri) => {
    await expectErrorPage(await call(authorizePath(await client(), { redirect_uri: redirectUri })), /redirect_uri is not registered/);
  });

  it('shows a page when redirect_uri is left out and the client registered several', async () => {
    const c = await registerClient({ redirect_uris: ['https://rp.example.com/a', 'https://rp.example.com/b'] });
    await expectErrorPage(await call(authorizePath(c, { redirect_uri: undefined })), /redirect_uri is required/);
  });

  it('shows a page for a POST that is not a form (OIDC Core §3.1.2.1)', async () => {
    const res = await call('/authorize', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expectErrorPage(res, /form/);
  });
});

describe('errors after the redirect URI is trusted go back to the client with state and iss (RFC 6749 §4.1.2.1, RFC 9207)', () => {
  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ response_type: undefined }, 'invalid_request'],
    [{ scope: 'profile' }, 'invalid_scope'],
    [{ scope: 'openid unknown_scope' }, 'invalid_scope'],
    [{ code_challenge: undefined }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge_method: undefined }, 'invalid_request'],
    [{ prompt: 'none login' }, 'invalid_request'],
    [{ max_age: 'never' }, 'invalid_request'],
    [{ acr_values: 'AAL5_TELEPATHY' }, 'invalid_request'],
    [{ claims: '{"id_token":' }, 'invalid_request'],
    [{ request: 'e30.e30.' }, 'request_not_supported'],
    [{ response_mode: 'fragment' }, 'invalid_request'],
  ])('redirects %j with error %s', async (params, error) => {
    const c = await client();
    const res = await call(authorizePath(c, { ...params, state: 'st-1' }));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(c.redirect_uris[0]);
    expect(redirectParams(res)).toMatchObject({ error, state: 'st-1', iss: issuer });
    expect(redirectParams(res).error_description).toEqual(expect.any(String));
    expect(redirectParams(res)).not.toHaveProperty('code');
  });

  it('redirects with unauthorized_client for a client not registered for the code grant', async () => {
    const c = await registerClient({
      redirect_uris: ['https://rp.example.com/cc'],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const res = await call(authorizePath(c));
    expect(redirectParams(res)).toMatchObject({ error: 'unauthorized_client', iss: issuer });
  });

  it('delivers errors by form_post when that mode was asked', async () => {
    const c = await client();
    const res = await call(authorizePath(c, { response_mode: 'form_post', scope: 'email', state: 'fp' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`action="${c.redirect_uris[0]}"`);
    expect(html).toMatch(/name="error" value="invalid_scope"/);
    expect(html).toMatch(/name="state" value="fp"/);
    expect(html).toContain(`name="iss" value="${issuer}"`);
  });

  it('answers other methods with 405 and Allow', async () => {
    const res = await call('/authorize', { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});

describe('malformed requests never yield a 500 (contract §9)', () => {
  it.each([
    '/authorize',
    '/authorize?%%%',
    '/authorize?client_id=%E0%A4%A',
    '/authorize?client_id=' + 'x'.repeat(5000),
    '/authorize?client_id[]=1&redirect_uri[a]=2',
    '/authorize/resume',
    '/authorize/resume?interaction=../../etc',
    '/signin?interaction=%00',
    '/select-role?interaction=nope',
  ])('GET %s answers 4xx', async (path) => {
    const res = await new Browser().fetch(path.length > 200 ? path : path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('refuses a garbage session cookie as no session', async () => {
    const c = await client();
    const res = await call(authorizePath(c, { prompt: 'none', state: 'g' }), { headers: { cookie: 'session=zz.zz; session=%%%' } });
    expect(redirectParams(res)).toMatchObject({ error: 'login_required', state: 'g' });
  });
});
