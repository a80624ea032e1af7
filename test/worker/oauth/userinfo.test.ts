import { describe, expect, it } from 'vitest';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { call } from '../../support/worker/requests.ts';
import { createUser, patchUser, RBAC_USER } from '../../support/worker/scim.ts';
import { postForm, signIn, testPorts, userinfo } from '../../support/worker/tokens.ts';

async function expectInvalidToken(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  expect(await res.json()).toMatchObject({ error: 'invalid_token' });
}

describe('GET and POST /userinfo (OpenID Connect Core §5.3, RFC 6750)', () => {
  it.each(['GET', 'POST'] as const)('answers the claims of the granted scopes with sub = uid (%s)', async (method) => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person, scope: ['openid', 'profile', 'email'] });
    const res = await userinfo(tokens.access_token, method);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const uid = person[RBAC_USER].uid as string;
    expect(await res.json()).toEqual({
      sub: uid,
      name: 'Dr Ada Augusta Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      uid,
      email: person.emails[0].value,
    });
  });

  it('accepts the Bearer header on POST too (RFC 6750 §2.1)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    const res = await call('/userinfo', { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(200);
  });

  it('answers a request without a token with 401 and a bare Bearer challenge (RFC 6750 §3.1)', async () => {
    const res = await call('/userinfo');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a malformed JWT', 'a.b.c'],
    ['a refresh token', `${'d'.repeat(64)}.${'D'.repeat(43)}`],
  ])('answers %s with 401 invalid_token, never a 500', async (_, token) => {
    await expectInvalidToken(await userinfo(token));
  });

  it('answers a non-Bearer Authorization header with 401 invalid_token', async () => {
    await expectInvalidToken(await call('/userinfo', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }));
  });

  it('answers a token of a revoked grant with 401 invalid_token', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await testPorts().grants.revoke(tokens.grantId, 'test');
    await expectInvalidToken(await userinfo(tokens.access_token));
  });

  it('answers a token of a deactivated person with 401 invalid_token', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }]);
    await expectInvalidToken(await userinfo(tokens.access_token));
  });

  it('answers a token without the openid scope with 403 insufficient_scope (RFC 6750 §3.1)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person, scope: ['profile'] });
    const res = await userinfo(tokens.access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="openid"');
    expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('answers a client_credentials token with 403 insufficient_scope: there is no person', async () => {
    const client = (await registerClient({ grant_types: ['client_credentials'] })) as TestClient;
    const { access_token: token } = (await (await postForm('/token', { grant_type: 'client_credentials' }, client)).json()) as { access_token: string };
    expect((await userinfo(token)).status).toBe(403);
  });

  it('answers a token in both header and body with 400 invalid_request (RFC 6750 §2)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    const res = await call('/userinfo', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${tokens.access_token}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow: GET, HEAD, POST', async (method) => {
    const res = await call('/userinfo', { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});
