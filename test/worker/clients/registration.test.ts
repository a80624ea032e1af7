import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { clients } from '../../../schema/clients.ts';
import { sha256 } from '../../../src/secrets.ts';
import { authorizePath } from '../../support/sign-in.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { adminCall, adminJson, call, issuer } from '../../support/worker/requests.ts';
import { expectError } from '../../support/expect-error.ts';

const EC_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const web = { client_name: 'Clinical Portal', redirect_uris: ['https://portal.example.nhs.uk/callback'] };

async function storedRow(clientId: string) {
  const [row] = await testDatabase().select().from(clients).where(eq(clients.clientId, clientId));
  return row;
}

async function clientsNamed(name: string) {
  return testDatabase()
    .select()
    .from(clients)
    .where(sql`json_extract(${clients.metadata}, '$.client_name') = ${name}`);
}

describe('POST /register (RFC 7591 §3, CONTRACT §3)', () => {
  it('registers a client_secret_basic client: 201 with secret, registration token and defaults filled (§3.2.1)', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await adminJson('/register', 'POST', web);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      client_id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      client_name: 'Clinical Portal',
      redirect_uris: web.redirect_uris,
      post_logout_redirect_uris: [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      backchannel_logout_session_required: false,
      dpop_bound_access_tokens: false,
      require_pushed_authorization_requests: false,
    });
    expect(body.registration_client_uri).toBe(`${issuer}/register/${body.client_id as string}`);
    expect(body.client_id_issued_at).toBeGreaterThanOrEqual(before - 1);
  });

  it('registers a client without scope for openid alone: other scopes are then refused at /authorize (CONTRACT §3)', async () => {
    const res = await adminJson('/register', 'POST', web);
    const client = (await res.json()) as { client_id: string; redirect_uris: string[]; scope: string };
    expect(client.scope).toBe('openid');
    const refused = await new Browser().fetch(authorizePath(client, { scope: 'openid profile' }));
    expect(redirectParams(refused)).toMatchObject({ error: 'invalid_scope' });
    const allowed = await new Browser().fetch(authorizePath(client, { scope: 'openid' }));
    expect(redirectParams(allowed).error).toBeUndefined();
  });

  it('registers a client_secret_post client_credentials client with a secret and no redirect URI', async () => {
    const client = await registerClient({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' });
    expect(client.client_secret).toBeTruthy();
    expect(client).toMatchObject({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
  });

  it('registers a private_key_jwt client with jwks and issues no secret', async () => {
    const client = await registerClient({ ...web, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [EC_PUBLIC] } });
    expect(client).not.toHaveProperty('client_secret');
    expect(client).not.toHaveProperty('client_secret_expires_at');
    expect(client.jwks).toEqual({ keys: [EC_PUBLIC] });
    expect((await storedRow(client.client_id))!.clientSecretHash).toBeNull();
  });

  it('registers a public client (none) with PKCE-style grants and issues no secret', async () => {
    const client = await registerClient({
      redirect_uris: ['uk.nhs.example.app:/callback', 'http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
    expect(client).not.toHaveProperty('client_secret');
    expect(client.redirect_uris).toEqual(['uk.nhs.example.app:/callback', 'http://127.0.0.1/callback']);
  });

  it('stores only SHA-256 hashes of the client secret and registration token, and metadata without secrets', async () => {
    const client = await registerClient({ ...web, unknown_field: 'dropped' });
    const row = (await storedRow(client.client_id))!;
    expect(row.clientSecretHash).toBe(await sha256(client.client_secret!));
    expect(row.registrationAccessTokenHash).toBe(await sha256(client.registration_access_token));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(client.client_secret!);
    expect(stored).not.toContain(client.registration_access_token);
    expect(row.metadata).not.toHaveProperty('unknown_field');
    expect(row.metadata).not.toHaveProperty('client_secret');
    expect(row.clientIdIssuedAt).toBe(client.client_id_issued_at);
  });

  it('writes a client.register audit event naming the client, without secrets', async () => {
    const client = await registerClient(web);
    const events = await testDatabase()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subject, client.client_id), eq(auditEvents.action, 'client.register')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'admin',
      clientId: client.client_id,
      outcome: 'success',
      details: { client_name: 'Clinical Portal', token_endpoint_auth_method: 'client_secret_basic' },
    });
    expect(JSON.stringify(events[0])).not.toContain(client.client_secret!);
  });
});

describe('POST /register refusals (RFC 7591 §3.2.2, CONTRACT §3 and §9)', () => {
  it.each([
    ['no redirect URI for authorization_code', 'invalid_redirect_uri', {}],
    ['a redirect URI with a fragment', 'invalid_redirect_uri', { redirect_uris: ['https://rp.example.com/cb#x'] }],
    ['a relative redirect URI', 'invalid_redirect_uri', { redirect_uris: ['/cb'] }],
    ['http redirect URI off loopback', 'invalid_redirect_uri', { redirect_uris: ['http://rp.example.com/cb'] }],
    ['a private-use scheme without a dot', 'invalid_redirect_uri', { redirect_uris: ['myapp:/cb'] }],
    ['response_types token', 'invalid_client_metadata', { ...web, response_types: ['token'] }],
    ['inconsistent grant and response types', 'invalid_client_metadata', { grant_types: ['client_credentials'], response_types: ['code'] }],
    ['none for client_credentials', 'invalid_client_metadata', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }],
    ['private_key_jwt without keys', 'invalid_client_metadata', { ...web, token_endpoint_auth_method: 'private_key_jwt' }],
    ['jwks and jwks_uri together', 'invalid_client_metadata', { ...web, jwks: { keys: [EC_PUBLIC] }, jwks_uri: 'https://rp.example.com/jwks' }],
    ['an http jwks_uri', 'invalid_client_metadata', { ...web, jwks_uri: 'http://rp.example.com/jwks' }],
    ['a private key in jwks', 'invalid_client_metadata', { ...web, jwks: { keys: [{ ...EC_PUBLIC, d: 'private' }] } }],
    ['id_token_signed_response_alg none', 'invalid_client_metadata', { ...web, id_token_signed_response_alg: 'none' }],
    ['an unknown acr', 'invalid_client_metadata', { ...web, default_acr_values: ['AAL4'] }],
    ['an unknown grant type', 'invalid_client_metadata', { ...web, grant_types: ['password'] }],
    ['an http back-channel logout URI off loopback', 'invalid_client_metadata', { ...web, backchannel_logout_uri: 'http://rp.example.com/bc' }],
    ['a private back-channel logout URI', 'invalid_client_metadata', { ...web, backchannel_logout_uri: 'https://10.0.0.8/bc' }],
    ['a link-local back-channel logout URI', 'invalid_client_metadata', { ...web, backchannel_logout_uri: 'https://169.254.169.254/bc' }],
    ['a .internal back-channel logout URI', 'invalid_client_metadata', { ...web, backchannel_logout_uri: 'https://rp.internal/bc' }],
    ['a JSON array body', 'invalid_client_metadata', [web]],
  ])('refuses %s with 400 %s and stores nothing', async (_, error, metadata) => {
    const name = `refused-${crypto.randomUUID()}`;
    const body = Array.isArray(metadata) ? metadata : { ...metadata, client_name: name };
    const res = await adminJson('/register', 'POST', body);
    await expectError(res, 400, error);
    expect(await clientsNamed(name)).toHaveLength(0);
  });

  it('accepts a loopback back-channel logout URI while the issuer is on loopback (local development)', async () => {
    const client = await registerClient({ ...web, backchannel_logout_uri: 'http://localhost:3000/backchannel' });
    expect(client.backchannel_logout_uri).toBe('http://localhost:3000/backchannel');
  });

  it('answers malformed JSON with 400 invalid_client_metadata', async () => {
    const res = await adminCall('/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"redirect_uris": [' });
    await expectError(res, 400, 'invalid_client_metadata');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await adminCall('/register', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(web) });
    await expectError(res, 415, 'invalid_request');
  });

  it('answers a body over 1 MiB with 413', async () => {
    const body = JSON.stringify({ ...web, client_name: 'x'.repeat(1024 * 1024 + 1) });
    const res = await adminCall('/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await expectError(res, 413, 'invalid_request');
  });

  it('answers other methods with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await adminCall('/register', { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('answers a missing admin token with 401 and Bearer challenge (RFC 6750 §3.1)', async () => {
    const res = await call('/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(web) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers a wrong admin token with 401 invalid_token and registers nothing', async () => {
    const name = `wrong-token-${crypto.randomUUID()}`;
    const res = await call('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-admin-token' },
      body: JSON.stringify({ ...web, client_name: name }),
    });
    await expectError(res, 401, 'invalid_token');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await clientsNamed(name)).toHaveLength(0);
  });
});
