// CONTRACT §7: CIS2's hard-coded paths under the issuer answer as the token,
// JWKS and end-session endpoints, and discovery does not name them.
import { env } from 'cloudflare:test';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientAssertion, CLIENT_ASSERTION_TYPE, registerKeyClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { POST_LOGOUT_REDIRECT_URI, registerLogoutClient, signInTo } from '../../support/worker/logout.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import type { TestClient } from '../../support/worker/client-auth.ts';
import { postForm, publishedKeys } from '../../support/worker/tokens.ts';
import { readConfig } from '../../../src/config.ts';
import { testApp } from '../../support/worker/test-app.ts';

describe('CIS2 path aliases (CONTRACT §7)', () => {
  it('POST /access_token issues tokens as the token endpoint does (RFC 6749 §3.2)', async () => {
    const client = (await registerClient({ client_name: 'CIS2 alias', grant_types: ['client_credentials'], scope: 'pds:read' })) as TestClient;
    const res = await postForm('/access_token', { grant_type: 'client_credentials' }, client);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string };
    const { payload } = await jwtVerify(body.access_token, await publishedKeys(), { issuer, audience: client.client_id });
    expect(payload).toMatchObject({ client_id: client.client_id, scope: 'pds:read' });
  });

  it('accepts a client assertion whose aud is the /access_token URL the client called (RFC 7523 §3)', async () => {
    const client = await registerKeyClient({ grant_types: ['client_credentials'], redirect_uris: undefined, scope: 'pds:read' });
    const assertion = await clientAssertion(client, { aud: `${issuer}/access_token` });
    const res = await postForm('/access_token', { grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }, null);
    expect(res.status).toBe(200);
  });

  it('answers /access_token errors as the token endpoint: 400 unsupported_grant_type, 405 for GET', async () => {
    const client = (await registerClient({ client_name: 'CIS2 alias', grant_types: ['client_credentials'] })) as TestClient;
    const bad = await postForm('/access_token', { grant_type: 'password' }, client);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const get = await call('/access_token');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('GET /connect/jwk_uri serves the JWKS (RFC 7517 §5)', async () => {
    const [alias, jwks] = await Promise.all([call('/connect/jwk_uri'), call('/jwks.json')]);
    expect(alias.status).toBe(200);
    expect(alias.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await alias.json()).toEqual(await jwks.json());
  });

  it('GET /connect/endSession ends the session and redirects like the end-session endpoint (RP-Initiated Logout 1.0 §2, §3)', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const res = await s.browser.fetch(
      `/connect/endSession?${new URLSearchParams({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI, state: 'cis2' })}`,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=cis2`);
    expect(s.browser.cookie('session')).toBeUndefined();
  });

  it('is not advertised in discovery, which stays the truth (CONTRACT §2, §7)', async () => {
    const doc = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    const values = JSON.stringify(doc);
    for (const path of ['/access_token', '/connect/jwk_uri', '/connect/endSession']) expect(values).not.toContain(path);
    expect(doc).toMatchObject({ token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks.json`, end_session_endpoint: `${issuer}/logout` });
  });

  it('leaves other paths alone: /connect and /access_token/x are 404', async () => {
    expect((await call('/connect')).status).toBe(404);
    expect((await call('/access_token/x', { method: 'POST' })).status).toBe(404);
  });

  it('shares the token endpoint’s rate limit: the alias is no way around it (RFC 6749 §2.3.1 brute-force protection, CONTRACT §7)', async () => {
    const config = readConfig(env as unknown as Record<string, unknown>);
    const app = testApp({ config: { ...config, rateLimits: { ...config.rateLimits, tokenPerAddress: 2, tokenPerClient: 2 } } });
    const address = `2001:db8:${crypto.randomUUID().slice(0, 4)}::7`;
    const post = (path: string) =>
      app.fetch(new Request(`${issuer}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': address },
        body: 'grant_type=client_credentials',
      }));
    expect((await post('/token')).status).not.toBe(429);
    expect((await post('/access_token')).status).not.toBe(429);
    expect((await post('/access_token')).status).toBe(429);
    expect((await post('/token')).status).toBe(429);
  });
});
