import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { clients } from '../../../schema/clients.ts';
import { findClient, verifyClientSecret } from '../../../src/clients/client.ts';
import { sha256 } from '../../../src/secrets.ts';
import { callConfiguration, registerClient, type RegisteredClient } from '../../support/worker/clients.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { adminCall, call } from '../../support/worker/requests.ts';
import { TEST_ADMIN_TOKEN } from '../../support/test-env.ts';

const EC_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const web = { client_name: 'Rostering', redirect_uris: ['https://roster.example.nhs.uk/cb'] };
const V2_CALLBACK = 'https://roster.example.nhs.uk/v2/cb';

/** The metadata a client sends back on update: what it was given, minus the server-managed fields. */
function updateBody(client: RegisteredClient, changes: Record<string, unknown> = {}) {
  const { registration_access_token: _t, registration_client_uri: _u, client_id_issued_at: _i, client_secret_expires_at: _e, ...rest } = client;
  return { ...rest, ...changes };
}

function put(client: RegisteredClient, body: unknown, token?: string | null) {
  return callConfiguration(client, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, token);
}

async function auditActions(clientId: string, action: string) {
  return testDatabase()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subject, clientId), eq(auditEvents.action, action)));
}

async function expectInvalidToken(res: Response, challenge = 'Bearer error="invalid_token"') {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(challenge);
  expect(await res.json()).toMatchObject({ error: 'invalid_token' });
}

describe('GET registration_client_uri (RFC 7592 §2.1)', () => {
  it('reads the registered metadata with the registration access token, without the client secret', async () => {
    const client = await registerClient(web);
    const res = await callConfiguration(client);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { client_secret: _s, ...expected } = client;
    expect(await res.json()).toEqual(expected);
  });

  it('answers a wrong, missing or another client\'s token with 401 invalid_token', async () => {
    const client = await registerClient(web);
    const other = await registerClient(web);
    await expectInvalidToken(await callConfiguration(client, {}, 'A'.repeat(43)));
    await expectInvalidToken(await callConfiguration(client, {}, other.registration_access_token));
    await expectInvalidToken(await callConfiguration(client, {}, client.client_secret!));
    await expectInvalidToken(await callConfiguration(client, {}, null), 'Bearer');
  });

  it('answers an unknown client_id exactly as a wrong token, revealing nothing (§2)', async () => {
    const client = await registerClient(web);
    const res = await call('/register/no-such-client', { headers: { authorization: `Bearer ${client.registration_access_token}` } });
    await expectInvalidToken(res);
  });

  it('lets the operator read the client with the admin token, without the registration access token it never held (CONTRACT §3)', async () => {
    const client = await registerClient(web);
    const res = await adminCall(new URL(client.registration_client_uri).pathname);
    expect(res.status).toBe(200);
    const { client_secret: _s, registration_access_token: _t, ...expected } = client;
    expect(await res.json()).toEqual(expected);
  });

  it('answers other methods with 405 and Allow', async () => {
    const client = await registerClient(web);
    const res = await callConfiguration(client, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE');
  });
});

describe('PUT registration_client_uri (RFC 7592 §2.2)', () => {
  it('replaces the metadata: omitted fields are removed, the secret stays valid, an audit event is written', async () => {
    const client = await registerClient({ ...web, redirect_uris: [...web.redirect_uris, V2_CALLBACK], scope: 'openid profile', default_acr_values: ['AAL3_ANY'] });
    const { scope: _scope, ...withoutScope } = updateBody(client, { client_name: 'Rostering v2', redirect_uris: [V2_CALLBACK] });
    const res = await put(client, withoutScope);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      client_id: client.client_id,
      client_name: 'Rostering v2',
      redirect_uris: [V2_CALLBACK],
      // CONTRACT §3: an absent scope is openid alone.
      scope: 'openid',
      registration_access_token: client.registration_access_token,
      client_secret_expires_at: 0,
    });
    expect(body).not.toHaveProperty('client_secret');
    const stored = (await findClient(testDatabase(), client.client_id))!;
    expect(stored.metadata.client_name).toBe('Rostering v2');
    expect(stored.metadata.scope).toBe('openid');
    expect(await verifyClientSecret(stored, client.client_secret!)).toBe(true);
    expect(await auditActions(client.client_id, 'client.update')).toMatchObject([
      { actor: `client:${client.client_id}`, outcome: 'success', details: { client_name: 'Rostering v2' } },
    ]);
  });

  it('refuses a body whose client_id differs or is missing, and changes nothing', async () => {
    const client = await registerClient(web);
    for (const body of [updateBody(client, { client_id: 'another', client_name: 'renamed' }), { ...web, client_name: 'renamed' }]) {
      const res = await put(client, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
    }
    expect((await findClient(testDatabase(), client.client_id))!.metadata.client_name).toBe('Rostering');
  });

  it('refuses a client_secret that does not match the current one', async () => {
    const client = await registerClient(web);
    const res = await put(client, updateBody(client, { client_secret: 'not-the-secret', client_name: 'renamed' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const ok = await put(client, updateBody(client, { client_name: 'renamed' }));
    expect(ok.status).toBe(200);
  });

  it('validates the new metadata like a registration', async () => {
    const client = await registerClient(web);
    const res = await put(client, updateBody(client, { redirect_uris: ['https://roster.example.nhs.uk/cb#f'] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    expect((await findClient(testDatabase(), client.client_id))!.metadata.redirect_uris).toEqual(web.redirect_uris);
  });

  it.each([
    ['a redirect URI on another host', { redirect_uris: ['https://roster.example.nhs.uk/cb', 'https://attacker.example/cb'] }],
    ['a scope it was not given', { scope: 'openid profile nationalrbacaccess' }],
    ['a grant type', { grant_types: ['authorization_code', 'client_credentials'] }],
    ['another authentication method', { client_secret: undefined, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [EC_PUBLIC] } }],
    ['a back-channel logout URI', { backchannel_logout_uri: 'https://collector.example.org/logout' }],
    ['a weaker default acr', { default_acr_values: ['AAL1_USERPASS'] }],
  ])('refuses %s with the registration access token: 400 invalid_client_metadata, nothing changed (CONTRACT §3)', async (_, changes) => {
    const client = await registerClient({ ...web, scope: 'openid profile', default_acr_values: ['AAL3_ANY'] });
    const res = await put(client, updateBody(client, changes));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata', error_description: expect.stringContaining('operator') });
    const stored = (await findClient(testDatabase(), client.client_id))!;
    expect(stored.metadata).toMatchObject({ redirect_uris: web.redirect_uris, scope: 'openid profile', grant_types: ['authorization_code'] });
    expect(stored.metadata.backchannel_logout_uri).toBeUndefined();
  });

  it('lets the operator widen with the admin token, audited as the admin (CONTRACT §3)', async () => {
    const client = await registerClient({ ...web, scope: 'openid' });
    const res = await put(client, updateBody(client, { scope: 'openid profile', redirect_uris: [V2_CALLBACK] }), TEST_ADMIN_TOKEN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ scope: 'openid profile', redirect_uris: [V2_CALLBACK] });
    expect(body).not.toHaveProperty('registration_access_token');
    expect((await findClient(testDatabase(), client.client_id))!.metadata).toMatchObject({ scope: 'openid profile', redirect_uris: [V2_CALLBACK] });
    expect(await auditActions(client.client_id, 'client.update')).toMatchObject([{ actor: 'admin', outcome: 'success' }]);
    // The client's own token still works afterwards.
    expect((await callConfiguration(client)).status).toBe(200);
  });

  it('drops the secret when the operator moves the client to private_key_jwt and issues one when moving back', async () => {
    const client = await registerClient(web);
    const toJwt = await put(client, updateBody(client, { client_secret: undefined, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [EC_PUBLIC] } }), TEST_ADMIN_TOKEN);
    expect(toJwt.status).toBe(200);
    expect(await toJwt.json()).not.toHaveProperty('client_secret_expires_at');
    const [row] = await testDatabase().select().from(clients).where(eq(clients.clientId, client.client_id));
    expect(row!.clientSecretHash).toBeNull();

    const back = await put(client, updateBody(client, { client_secret: undefined, token_endpoint_auth_method: 'client_secret_post' }), TEST_ADMIN_TOKEN);
    expect(back.status).toBe(200);
    const { client_secret } = (await back.json()) as { client_secret: string };
    expect(client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client_secret).not.toBe(client.client_secret);
    const [after] = await testDatabase().select().from(clients).where(eq(clients.clientId, client.client_id));
    expect(after!.clientSecretHash).toBe(await sha256(client_secret));
  });

  it('answers a wrong token with 401 before reading the body', async () => {
    const client = await registerClient(web);
    await expectInvalidToken(await put(client, updateBody(client), 'A'.repeat(43)));
  });

  it('answers malformed JSON with 400 and a wrong content type with 415', async () => {
    const client = await registerClient(web);
    const malformed = await callConfiguration(client, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const wrongType = await callConfiguration(client, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(415);
  });
});

describe('DELETE registration_client_uri (RFC 7592 §2.3)', () => {
  it('deletes the client: 204, then the token, client_id and secret no longer work', async () => {
    const client = await registerClient(web);
    const res = await callConfiguration(client, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(await findClient(testDatabase(), client.client_id)).toBeNull();
    await expectInvalidToken(await callConfiguration(client));
    await expectInvalidToken(await put(client, updateBody(client)));
    await expectInvalidToken(await callConfiguration(client, { method: 'DELETE' }));
    expect(await auditActions(client.client_id, 'client.delete')).toMatchObject([
      { actor: `client:${client.client_id}`, clientId: client.client_id, outcome: 'success' },
    ]);
  });

  it('lets the operator delete a client with the admin token (CONTRACT §3)', async () => {
    const client = await registerClient(web);
    const res = await adminCall(new URL(client.registration_client_uri).pathname, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await findClient(testDatabase(), client.client_id)).toBeNull();
    expect(await auditActions(client.client_id, 'client.delete')).toMatchObject([{ actor: 'admin' }]);
  });

  it('answers a wrong token with 401 and keeps the client', async () => {
    const client = await registerClient(web);
    await expectInvalidToken(await callConfiguration(client, { method: 'DELETE' }, 'A'.repeat(43)));
    expect(await findClient(testDatabase(), client.client_id)).not.toBeNull();
  });
});

describe('findClient and verifyClientSecret (for the token endpoint)', () => {
  it('finds a registered client with its metadata and checks its secret in constant time', async () => {
    const client = await registerClient(web);
    const found = (await findClient(testDatabase(), client.client_id))!;
    expect(found).toMatchObject({ clientId: client.client_id, clientSecretExpiresAt: 0, metadata: { redirect_uris: web.redirect_uris } });
    expect(found).not.toHaveProperty('registrationAccessTokenHash');
    expect(await verifyClientSecret(found, client.client_secret!)).toBe(true);
    expect(await verifyClientSecret(found, `${client.client_secret!}x`)).toBe(false);
    expect(await verifyClientSecret(found, client.registration_access_token)).toBe(false);
    expect(await findClient(testDatabase(), 'no-such-client')).toBeNull();
  });
});
