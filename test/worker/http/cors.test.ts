// CONTRACT §6: token, revocation and introspection answer CORS for the origins
// of the authenticated client's redirect URIs; userinfo for any origin; never
// with credentials; pages and cookie-bearing endpoints stay same-origin.
import { describe, expect, it } from 'vitest';
import { clientCredentials, registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { call } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, issueTestCode, signIn, type TestCode } from '../../support/worker/tokens.ts';

const RP_ORIGIN = 'https://rp.example.com';

const preflight = (path: string, origin: string, method = 'POST') =>
  call(path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' } });

/** POSTs a form as a page on `origin` would, the client authenticating by its registered method. */
async function postFrom(origin: string, path: string, params: Record<string, string>, client: TestClient): Promise<Response> {
  const auth = await clientCredentials(client);
  return call(path, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded', ...auth.headers },
    body: new URLSearchParams({ ...auth.params, ...params }).toString(),
  });
}

const redeemFrom = (origin: string, client: TestClient, code: TestCode) =>
  postFrom(origin, '/token', { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier }, client);

describe('preflight (Fetch Standard §4.8)', () => {
  it.each(['/token', '/revoke', '/introspect', '/access_token'])('answers a preflight to %s with 204, POST and the headers a client sends, without credentials', async (path) => {
    const res = await preflight(path, RP_ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(RP_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('refuses a preflight from the opaque origin null', async () => {
    expect((await preflight('/token', 'null')).status).toBe(403);
  });

  it('answers a userinfo preflight for any origin with *', async () => {
    const res = await preflight('/userinfo', 'https://anyone.example', 'GET');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives pages and cookie-bearing endpoints no CORS headers (same-origin only)', async () => {
    for (const path of ['/authorize', '/webauthn/authentication/options', '/end_session', '/register']) {
      const res = await preflight(path, RP_ORIGIN);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('actual responses', () => {
  it('shares a token response with an origin of the client\'s redirect URIs, success and error alike', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const ok = await redeemFrom(RP_ORIGIN, client, code);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(RP_ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const reused = await redeemFrom(RP_ORIGIN, client, code);
    expect(reused.status).toBe(400);
    expect(reused.headers.get('access-control-allow-origin')).toBe(RP_ORIGIN);
  });

  it('does not share a token response with another origin, even for a valid request', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const res = await redeemFrom('https://evil.example', client, await issueTestCode({ client, person }));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('shares introspection and revocation answers with the client\'s origin only', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const set = await signIn(client, { person });
    const mine = await postFrom(RP_ORIGIN, '/introspect', { token: set.access_token }, client);
    expect(mine.headers.get('access-control-allow-origin')).toBe(RP_ORIGIN);
    const theirs = await postFrom('https://evil.example', '/revoke', { token: set.refresh_token! }, client);
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    expect(await introspect(client, set.access_token)).toMatchObject({ active: false });
  });

  it('shares userinfo with any origin, without credentials', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const set = await signIn(client, { person });
    const res = await call('/userinfo', { headers: { origin: 'https://anyone.example', authorization: `Bearer ${set.access_token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

