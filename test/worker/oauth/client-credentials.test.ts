import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { registerKeyClient, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { issuer } from '../../support/worker/requests.ts';
import { eventually } from '../../support/worker/logout.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { postForm, publishedKeys } from '../../support/worker/tokens.ts';
import { expectError } from '../../support/expect-error.ts';

const serviceClient = (metadata: Record<string, unknown> = {}) =>
  registerClient({ client_name: 'Service', grant_types: ['client_credentials'], scope: 'pds:read pds:write', ...metadata }) as Promise<TestClient>;

const ccToken = (client: TestClient, params: Record<string, string> = {}) => postForm('/token', { grant_type: 'client_credentials', ...params }, client);

describe('POST /token grant_type=client_credentials (RFC 6749 §4.4)', () => {
  it('issues an RFC 9068 access token for the client itself that verifies against the JWKS, with no refresh or ID token', async () => {
    const client = await serviceClient();
    const res = await ccToken(client);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'pds:read pds:write' });
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    const { payload, protectedHeader } = await jwtVerify(body.access_token as string, await publishedKeys(), {
      issuer,
      typ: 'at+jwt',
      audience: client.client_id,
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({ sub: client.client_id, client_id: client.client_id, scope: 'pds:read pds:write' });
    expect(payload.jti).toMatch(/^cc\./);
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload).not.toHaveProperty('auth_time');
  });

  it('narrows to a requested subset of the registered scope (RFC 6749 §3.3)', async () => {
    const res = await ccToken(await serviceClient(), { scope: 'pds:read' });
    expect(decodeJwt(((await res.json()) as { access_token: string }).access_token).scope).toBe('pds:read');
  });

  it.each([
    ['a scope it did not register', 'pds:admin'],
    ['a person scope', 'openid'],
    ['a malformed scope', 'pds:read  pds:write'],
  ])('refuses %s with invalid_scope', async (_, scope) => {
    await expectError(await ccToken(await serviceClient({ scope: 'pds:read pds:write openid' }), { scope }), 400, 'invalid_scope');
  });

  it('authenticates with client_secret_post and private_key_jwt too', async () => {
    expect((await ccToken(await serviceClient({ token_endpoint_auth_method: 'client_secret_post' }))).status).toBe(200);
    const keyClient = await registerKeyClient({ grant_types: ['client_credentials'], redirect_uris: [], scope: 'pds:read' });
    expect((await ccToken(keyClient)).status).toBe(200);
  });

  it('audits the issue with the grant type and never the token', async () => {
    const client = await serviceClient();
    const body = (await (await ccToken(client)).json()) as { access_token: string };
    // Written after the response (best effort, src/audit.ts), so wait for it.
    const events = await eventually(async () => {
      const found = await auditEventsFor(client.client_id);
      return found.some((e) => e.action === 'token.issue') ? found : null;
    }, 'the token.issue event');
    expect(events.filter((e) => e.action === 'token.issue')).toMatchObject([{ outcome: 'success', details: { grant_type: 'client_credentials' } }]);
    expect(JSON.stringify(events)).not.toContain(body.access_token.split('.')[2]);
  });

  it('keeps one audit event per token when many are issued at once (the audit sink batches them)', async () => {
    const client = await serviceClient();
    const responses = await Promise.all(Array.from({ length: 40 }, () => ccToken(client)));
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(200));
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    // The events are written after the responses (waitUntil), so wait for them.
    const events = await eventually(async () => {
      const found = (await auditEventsFor(client.client_id)).filter((e) => e.action === 'token.issue');
      return found.length >= 40 ? found : null;
    }, 'forty audit events');
    expect(events.map((e) => e.requestId).sort()).toEqual(ids.sort());
  });

  it('answers with unauthorized_client for a code-flow client', async () => {
    const client = (await registerClient({ redirect_uris: ['https://rp.example.com/cb'] })) as TestClient;
    await expectError(await ccToken(client), 400, 'unauthorized_client');
  });
});
