import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, registerWebClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { createUser, patchUser } from '../../support/worker/scim.ts';
import { introspect, postForm, revoke, signIn, testPorts } from '../../support/worker/tokens.ts';

describe('POST /introspect (RFC 7662)', () => {
  it('describes an active access token of a person with its claims (§2.2)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person, scope: ['openid', 'profile'], acr: 'AAL3_ANY' });
    const res = await postForm('/introspect', { token: tokens.access_token, token_type_hint: 'access_token' }, client);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      active: true,
      token_type: 'Bearer',
      scope: 'openid profile',
      client_id: client.client_id,
      sub: person['urn:nhs:scim:schemas:extension:rbac:2.0:User'].uid,
      aud: client.client_id,
      iss: issuer,
      jti: expect.stringMatching(new RegExp(`^${tokens.grantId}\\.`)),
      acr: 'AAL3_ANY',
      amr: ['FIDO2'],
    });
    for (const claim of ['exp', 'iat', 'auth_time']) expect(body[claim]).toEqual(expect.any(Number));
  });

  it('describes an active refresh token, whatever the hint says', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    const res = await postForm('/introspect', { token: tokens.refresh_token!, token_type_hint: 'access_token' }, client);
    expect(await res.json()).toMatchObject({ active: true, token_type: 'refresh_token', client_id: client.client_id, scope: 'openid profile' });
  });

  it("answers {\"active\": false} to a client that is neither the token's client nor in its aud (RFC 7662 §4, RFC 9068 §4)", async () => {
    const [client, other, person] = await Promise.all([registerWebClient(), registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect(await introspect(other, tokens.access_token)).toEqual({ active: false });
    // The token is still active for its own client: the refusal is about the caller, not the token.
    expect(await introspect(client, tokens.access_token)).toMatchObject({ active: true });
  });

  it('describes a refresh token only to its own client (RFC 7662 §4)', async () => {
    const [client, other, person] = await Promise.all([registerWebClient(), registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect(await introspect(other, tokens.refresh_token!)).toEqual({ active: false });
    expect(await introspect(client, tokens.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token' });
  });

  it('describes an access token to a resource server named in its aud (RFC 9068 §4)', async () => {
    const [client, resourceServer, bystander] = await Promise.all([registerWebClient(), registerWebClient(), registerWebClient()]);
    const key = await testPorts().keys.signingKey('ES256');
    // A client_credentials-shaped token (checked against the revocation list) for two audiences.
    const token = await new SignJWT({ client_id: client.client_id, jti: `cc.${crypto.randomUUID()}`, scope: 'openid' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(issuer).setSubject(client.client_id).setAudience([client.client_id, resourceServer.client_id])
      .setIssuedAt().setExpirationTime('5m')
      .sign(key.privateKey);
    expect(await introspect(resourceServer, token)).toMatchObject({ active: true, client_id: client.client_id });
    expect(await introspect(bystander, token)).toEqual({ active: false });
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['an unknown refresh handle', `${'b'.repeat(64)}.${'B'.repeat(43)}`],
    ['a JWT with a bad signature', 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['a very long string', 'x'.repeat(100_000)],
  ])('answers {"active": false} for %s (§2.2)', async (_, token) => {
    expect(await introspect(await registerWebClient(), token)).toEqual({ active: false });
  });

  it('answers {"active": false} for an access token signed by someone else with our kid', async () => {
    const client = await registerWebClient();
    const key = await testPorts().keys.signingKey('ES256');
    const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']) as CryptoKeyPair;
    const forged = await new SignJWT({ client_id: client.client_id, jti: 'cc.x', scope: 'a' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(issuer).setSubject('x').setIssuedAt().setExpirationTime('5m')
      .sign(privateKey);
    expect(await introspect(client, forged)).toEqual({ active: false });
  });

  it('answers {"active": false} for an expired access token', async () => {
    const client = await registerWebClient();
    const key = await testPorts().keys.signingKey('ES256');
    const expired = await new SignJWT({ client_id: client.client_id, jti: 'cc.expired' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(issuer).setSubject(client.client_id).setIssuedAt(Math.floor(Date.now() / 1000) - 700).setExpirationTime(Math.floor(Date.now() / 1000) - 100)
      .sign(key.privateKey);
    expect(await introspect(client, expired)).toEqual({ active: false });
  });

  it('answers {"active": false} for a token of a revoked grant, at once (CONTRACT §7)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect(await testPorts().grants.revoke(tokens.grantId, 'test')).toBe(true);
    expect(await introspect(client, tokens.access_token)).toEqual({ active: false });
    expect(await introspect(client, tokens.refresh_token!)).toEqual({ active: false });
  });

  it('answers {"active": false} after revocation through the revocation endpoint', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await revoke(client, tokens.refresh_token!)).status).toBe(200);
    expect(await introspect(client, tokens.access_token)).toEqual({ active: false });
  });

  it('answers {"active": false} for a refresh token of a person deactivated since', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
    expect(await introspect(client, tokens.refresh_token!)).toEqual({ active: false });
  });

  it('refuses a public client with 401 invalid_client (§2.1: the caller authenticates)', async () => {
    const publicClient = await registerWebClient({ token_endpoint_auth_method: 'none' });
    const res = await postForm('/introspect', { token: 'x' }, publicClient);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses an unauthenticated caller and a wrong secret with 401 invalid_client', async () => {
    const client = await registerWebClient();
    expect((await postForm('/introspect', { token: 'x' }, null)).status).toBe(401);
    const res = await call('/introspect', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(client.client_id, 'wrong') },
      body: 'token=x',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Basic realm="${issuer}"`);
  });

  it('answers a missing token with invalid_request, a JSON body with 400, GET with 405', async () => {
    const client = (await registerClient({ grant_types: ['client_credentials'] })) as Awaited<ReturnType<typeof registerWebClient>>;
    const missing = await postForm('/introspect', {}, client);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    const json = await call('/introspect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":"x"}' });
    expect(json.status).toBe(400);
    const get = await call('/introspect');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
