// client_secret_jwt (RFC 7523 §2.2 with HS256 over the client secret, OIDC Core
// §9): the secret is kept sealed under KEY_ENCRYPTION_SECRET for those clients
// only; aud, exp and jti follow the private_key_jwt rules (CONTRACT §7).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clients } from '../../../schema/clients.ts';
import { openClientSecret } from '../../../src/clients/client-secret-sealing.ts';
import { sha256 } from '../../../src/secrets.ts';
import { CLIENT_ASSERTION_TYPE, registerWebClient, secretAssertion, type TestClient } from '../../support/worker/client-auth.ts';
import { callConfiguration, registerClient } from '../../support/worker/clients.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { postForm, testPorts } from '../../support/worker/tokens.ts';

const serviceClient = (metadata: Record<string, unknown> = {}) =>
  registerClient({ grant_types: ['client_credentials'], scope: 'records:read', token_endpoint_auth_method: 'client_secret_jwt', ...metadata }) as Promise<TestClient>;

const withAssertion = (client: TestClient, assertion: string) =>
  postForm('/token', { grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }, null);

async function storedRow(clientId: string) {
  const [row] = await testDatabase().select().from(clients).where(eq(clients.clientId, clientId));
  return row!;
}

async function expectInvalidClient(res: Response) {
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: 'invalid_client' });
}

describe('client_secret_jwt registration: the secret sealed, not only hashed', () => {
  it('issues a secret, keeps its hash and its sealed form bound to the client, never the clear value', async () => {
    const client = await serviceClient();
    expect(client.client_secret).toEqual(expect.any(String));
    const row = await storedRow(client.client_id);
    expect(row.clientSecretHash).toBe(await sha256(client.client_secret!));
    expect(row.clientSecretSealed).toMatch(/^v1\./);
    expect(row.clientSecretSealed).not.toContain(client.client_secret);
    const { keyEncryptionSecret } = testPorts().config;
    expect(await openClientSecret(keyEncryptionSecret, client.client_id, row.clientSecretSealed!)).toBe(client.client_secret);
    // The client_id is the additional data: the ciphertext does not open on another row.
    await expect(openClientSecret(keyEncryptionSecret, 'another-client', row.clientSecretSealed!)).rejects.toThrow();
  });

  it('seals nothing for client_secret_basic clients', async () => {
    const client = await registerWebClient();
    expect((await storedRow(client.client_id)).clientSecretSealed).toBeNull();
  });

  it('gives a client the operator moves to client_secret_jwt a new secret, since only a hash was kept before', async () => {
    const client = (await registerClient({ grant_types: ['client_credentials'], scope: 'records:read' })) as TestClient;
    const { client_secret: old, registration_access_token: _, registration_client_uri: __, client_id_issued_at: ___, client_secret_expires_at: ____, ...metadata } = client;
    const res = await callConfiguration(
      client,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...metadata, token_endpoint_auth_method: 'client_secret_jwt' }) },
      testPorts().config.adminToken,
    );
    expect(res.status).toBe(200);
    const updated = (await res.json()) as TestClient;
    expect(updated.client_secret).toEqual(expect.any(String));
    expect(updated.client_secret).not.toBe(old);
    expect((await withAssertion(updated, await secretAssertion(updated))).status).toBe(200);
  });
});

describe('client_secret_jwt at the token endpoint (RFC 7523 §3)', () => {
  it('authenticates an HS256 assertion over the client secret', async () => {
    const client = await serviceClient();
    const res = await withAssertion(client, await secretAssertion(client));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('accepts a one-hour assertion whose aud is the issuer', async () => {
    const client = await serviceClient();
    expect((await withAssertion(client, await secretAssertion(client, { aud: issuer, expiresIn: 3600 }))).status).toBe(200);
  });

  it('refuses an assertion MACed with another secret', async () => {
    const client = await serviceClient();
    await expectInvalidClient(await withAssertion(client, await secretAssertion(client, { secret: 'not-the-secret' })));
  });

  it('refuses a reused jti (RFC 7523 §3 item 7)', async () => {
    const client = await serviceClient();
    const assertion = await secretAssertion(client, { jti: 'once' });
    expect((await withAssertion(client, assertion)).status).toBe(200);
    await expectInvalidClient(await withAssertion(client, assertion));
  });

  it('refuses an aud that also names another party, and one that lives past CLIENT_ASSERTION_MAX_AGE', async () => {
    const client = await serviceClient();
    await expectInvalidClient(await withAssertion(client, await secretAssertion(client, { aud: [issuer, 'https://other.example'] })));
    await expectInvalidClient(await withAssertion(client, await secretAssertion(client, { expiresIn: 7200 })));
  });

  it('refuses the clear secret from a client registered for client_secret_jwt (one method per client)', async () => {
    const client = await serviceClient();
    await expectInvalidClient(await postForm('/token', { grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret! }, null));
  });

  it('refuses an HS256 assertion keyed with the secret of a client_secret_post client', async () => {
    const client = (await registerClient({ grant_types: ['client_credentials'], scope: 'records:read', token_endpoint_auth_method: 'client_secret_post' })) as TestClient;
    await expectInvalidClient(await withAssertion(client, await secretAssertion(client)));
  });

  it('is listed in discovery with HS256', async () => {
    const doc = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, string[]>;
    expect(doc.token_endpoint_auth_methods_supported).toContain('client_secret_jwt');
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toContain('HS256');
  });
});

