// The device authorization grant (RFC 8628) inside workerd over the real
// Durable Objects: the endpoint's answer, the poll states at the token endpoint,
// and an approval made as the verification page makes it (a grant in the
// approving person's session, then the device record's decision), redeemed once.
import { describe, expect, it } from 'vitest';
import { DEVICE_GRANT_REDIRECT } from '../../../src/oauth/grant-rules.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { postForm, testAuthentication, testPorts, testSession } from '../../support/worker/tokens.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function registerDeviceClient(metadata: Record<string, unknown> = {}): Promise<TestClient> {
  return registerClient({ client_name: 'Ward tablet', grant_types: [DEVICE_GRANT, 'refresh_token'], scope: 'openid profile', ...metadata });
}

async function authorizeDevice(client: TestClient, params: Record<string, string> = {}) {
  const res = await postForm('/device_authorization', { scope: 'openid profile', ...params }, client);
  return { res, body: (await res.json()) as Record<string, any> };
}

const poll = (client: TestClient, deviceCode: string) => postForm('/token', { grant_type: DEVICE_GRANT, device_code: deviceCode }, client);

/** What the verification page does on Approve: a grant in the person's session, then the decision. */
async function approve(deviceCode: string, personId: string) {
  const { grants, devices } = testPorts();
  const id = deviceCode.split('.')[0]!;
  const device = (await devices.find(id, Date.now()))!;
  const authentication = testAuthentication(personId);
  const { session } = await testSession(authentication, Date.now() - 1_000);
  const issued = (await grants.issueDeviceGrant(
    { clientId: device.clientId, personId, sessionId: session.id, scope: device.scope, redirectUri: DEVICE_GRANT_REDIRECT, codeChallenge: '', authentication, acr: 'AAL3_ANY' },
    device.deviceCodeHash,
    device.expiresAt,
  ))!;
  expect(await devices.decide(id, { grantId: issued.grantId, personId }, Date.now())).toBe(true);
  return { grantId: issued.grantId, sessionId: session.id };
}

describe('POST /device_authorization (RFC 8628 §3.1, §3.2)', () => {
  it('answers a device code, an 8-letter user code grouped XXXX-XXXX, the verification URIs, expires_in and interval', async () => {
    const { res, body } = await authorizeDevice(await registerDeviceClient());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body.device_code).toMatch(/^[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/);
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body).toMatchObject({
      verification_uri: `${issuer}/device`,
      verification_uri_complete: `${issuer}/device?user_code=${body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
  });

  it('serves public clients (token_endpoint_auth_method none)', async () => {
    const { res } = await authorizeDevice(await registerDeviceClient({ token_endpoint_auth_method: 'none' }));
    expect(res.status).toBe(200);
  });

  it('refuses a client not registered for the device grant with unauthorized_client, and a bad client with 401', async () => {
    const { res, body } = await authorizeDevice(await registerWebClient());
    expect(res.status).toBe(400);
    expect(body.error).toBe('unauthorized_client');
    const client = await registerDeviceClient();
    const wrong = await postForm('/device_authorization', {}, { ...client, client_secret: 'wrong' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a scope the client did not register with invalid_scope, and an unknown acr with invalid_request', async () => {
    const client = await registerDeviceClient();
    expect((await authorizeDevice(client, { scope: 'openid email' })).body.error).toBe('invalid_scope');
    expect((await authorizeDevice(client, { acr_values: 'AAL9' })).body.error).toBe('invalid_request');
  });

  it('refuses GET with 405 and Allow: POST (CONTRACT §9)', async () => {
    const res = await call('/device_authorization');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('the device_code grant at the token endpoint (RFC 8628 §3.4, §3.5)', () => {
  it('answers authorization_pending, then slow_down when polled faster than the interval', async () => {
    const client = await registerDeviceClient();
    const { body } = await authorizeDevice(client);
    const first = await poll(client, body.device_code);
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ error: 'authorization_pending' });
    const second = await poll(client, body.device_code);
    expect(await second.json()).toMatchObject({ error: 'slow_down' });
  });

  it('answers access_denied once the person denied', async () => {
    const client = await registerDeviceClient();
    const { body } = await authorizeDevice(client);
    expect(await testPorts().devices.decide(body.device_code.split('.')[0], null, Date.now())).toBe(true);
    expect(await (await poll(client, body.device_code)).json()).toMatchObject({ error: 'access_denied' });
  });

  it('refuses another client\'s device code and a forged one with invalid_grant', async () => {
    const client = await registerDeviceClient();
    const { body } = await authorizeDevice(client);
    expect(await (await poll(await registerDeviceClient(), body.device_code)).json()).toMatchObject({ error: 'invalid_grant' });
    expect(await (await poll(client, `${body.device_code.split('.')[0]}.${'A'.repeat(43)}`)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('issues tokens (ID, access, refresh) from the grant made in the approving session, exactly once', async () => {
    const person = await createUser();
    const client = await registerDeviceClient();
    const { body } = await authorizeDevice(client);
    const { grantId, sessionId } = await approve(body.device_code, person.id);
    expect(grantId.startsWith(`${sessionId}-`)).toBe(true);
    const res = await poll(client, body.device_code);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, string>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid profile', access_token: expect.any(String), id_token: expect.any(String), refresh_token: expect.any(String) });
    // The grant lives in the person's session record like any other.
    expect(await testPorts().grants.findGrant(grantId)).toMatchObject({ grantId, clientId: client.client_id, personId: person.id });
    const again = await poll(client, body.device_code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    // The tokens of the first poll still work: a second poll does not reach the grant.
    expect(await testPorts().grants.findGrant(grantId)).not.toBeNull();
  });

  it('gives tokens to exactly one of two polls racing at approval', async () => {
    const person = await createUser();
    const client = await registerDeviceClient();
    const { body } = await authorizeDevice(client);
    await approve(body.device_code, person.id);
    const answers = await Promise.all([poll(client, body.device_code), poll(client, body.device_code), poll(client, body.device_code)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it('does not let the authorization code grant redeem a device grant', async () => {
    const person = await createUser();
    const client = await registerDeviceClient({ grant_types: ['authorization_code', DEVICE_GRANT], redirect_uris: ['https://rp.example.com/cb'] });
    const { body } = await authorizeDevice(client);
    const { sessionId } = await approve(body.device_code, person.id);
    const secret = body.device_code.split('.')[1];
    const res = await postForm('/token', { grant_type: 'authorization_code', code: `${sessionId}.${secret}`, redirect_uri: DEVICE_GRANT_REDIRECT, code_verifier: secret }, client);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await poll(client, body.device_code)).status).toBe(200);
  });
});
