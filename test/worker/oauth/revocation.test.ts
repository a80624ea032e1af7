import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { call } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, postForm, refresh, revoke, signIn, userinfo } from '../../support/worker/tokens.ts';

const revocations = (clientId: string) =>
  testDatabase().select().from(auditEvents).where(and(eq(auditEvents.clientId, clientId), eq(auditEvents.action, 'token.revoke')));

describe('POST /revoke (RFC 7009)', () => {
  it('revokes the grant when a refresh token is revoked: its access tokens are inactive at once (§2.1, CONTRACT §7)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    const res = await revoke(client, tokens.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await introspect(client, tokens.access_token)).toEqual({ active: false });
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect(await revocations(client.client_id)).toMatchObject([{ outcome: 'success', details: { token_type: 'refresh_token', reason: 'revoked' } }]);
  });

  it('revokes the grant when one of its access tokens is revoked (§2.1 allows it)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await revoke(client, tokens.access_token)).status).toBe(200);
    expect(await introspect(client, tokens.refresh_token!)).toEqual({ active: false });
  });

  it('lists a client_credentials access token as revoked until it expires', async () => {
    const client = (await registerClient({ grant_types: ['client_credentials'] })) as TestClient;
    const { access_token: token } = (await (await postForm('/token', { grant_type: 'client_credentials' }, client)).json()) as { access_token: string };
    expect(await introspect(client, token)).toMatchObject({ active: true });
    expect((await revoke(client, token)).status).toBe(200);
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('lets a public client revoke its own refresh token with client_id alone', async () => {
    const [client, person] = await Promise.all([registerWebClient({ token_endpoint_auth_method: 'none' }), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await revoke(client, tokens.refresh_token!)).status).toBe(200);
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
  });

  it("answers 200 but revokes nothing when another client presents a token (§2.1, §2.2), and audits the attempt", async () => {
    const [client, other, person] = await Promise.all([registerWebClient(), registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await revoke(other, tokens.refresh_token!)).status).toBe(200);
    expect((await revoke(other, tokens.access_token)).status).toBe(200);
    expect(await introspect(client, tokens.access_token)).toMatchObject({ active: true });
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(200);
    expect(await revocations(other.client_id)).toMatchObject([
      { outcome: 'failure', details: { reason: 'other_client' } },
      { outcome: 'failure', details: { reason: 'other_client' } },
    ]);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['an unknown refresh handle', `${'c'.repeat(64)}.${'C'.repeat(43)}`],
    ['a malformed JWT', 'a.b.c'],
  ])('answers 200 for %s (§2.2)', async (_, token) => {
    expect((await revoke(await registerWebClient(), token)).status).toBe(200);
  });

  it('answers a missing token with invalid_request and an unauthenticated caller with 401', async () => {
    const client = await registerWebClient();
    const missing = await postForm('/revoke', {}, client);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    const anonymous = await postForm('/revoke', { token: 'x' }, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const res = await call('/revoke');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
