import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { clients } from '../../../schema/clients.ts';
import { CLIENT_CACHE_TTL_MS, findCachedClient } from '../../../src/clients/client-cache.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { callConfiguration } from '../../support/worker/clients.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, refresh, signIn, testPorts, userinfo } from '../../support/worker/tokens.ts';

async function deleteClient(client: TestClient): Promise<void> {
  expect((await callConfiguration(client, { method: 'DELETE' })).status).toBe(204);
}

describe('deleting a client ends its tokens at once (RFC 7592 §2.3, CONTRACT §3)', () => {
  it("answers the deleted client's access token with 401 invalid_token at userinfo", async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    await deleteClient(client);
    const res = await userinfo(tokens.access_token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });

  it("introspects the deleted client's access token as inactive for a resource server in its aud (RFC 7662 §2.2)", async () => {
    const [client, resourceServer, person] = await Promise.all([registerWebClient(), registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    // A token of the same grant that also names the resource server, as RFC 8707 resource indicators will issue.
    const key = await testPorts().keys.signingKey('ES256');
    const token = await new SignJWT({ client_id: client.client_id, jti: `${tokens.grantId}.rs`, scope: 'openid' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(issuer).setSubject('555000000001').setAudience([client.client_id, resourceServer.client_id])
      .setIssuedAt().setExpirationTime('5m')
      .sign(key.privateKey);
    expect(await introspect(resourceServer, token)).toMatchObject({ active: true });
    await deleteClient(client);
    expect(await introspect(resourceServer, token)).toEqual({ active: false });
  });

  it("refuses the deleted client's refresh token", async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await deleteClient(client);
    const res = await refresh(client, tokens.refresh_token!);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('is seen by an isolate that was not told within CLIENT_CACHE_TTL_MS (30 s)', async () => {
    const client = await registerWebClient();
    // This test's own database connection has its own cache: another isolate, as far as the cache knows.
    const db = testDatabase();
    const now = Date.now();
    expect(await findCachedClient(db, client.client_id, now)).not.toBeNull();
    await db.delete(clients).where(eq(clients.clientId, client.client_id));
    expect(await findCachedClient(db, client.client_id, now + CLIENT_CACHE_TTL_MS - 1)).not.toBeNull();
    expect(await findCachedClient(db, client.client_id, now + CLIENT_CACHE_TTL_MS)).toBeNull();
    expect(CLIENT_CACHE_TTL_MS).toBeLessThanOrEqual(30_000);
  });
});
