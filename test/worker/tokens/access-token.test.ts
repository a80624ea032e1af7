import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { grantIdOfJti, verifyAccessToken } from '../../../src/tokens/access-token.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser, RBAC_USER } from '../../support/worker/scim.ts';
import { publishedKeys, signIn, testPorts } from '../../support/worker/tokens.ts';

describe('access tokens (RFC 9068, CONTRACT §7)', () => {
  it('are ES256 at+jwt with iss, sub, aud, client_id, scope, jti, iat, exp, auth_time, acr, amr', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const authTime = Math.floor(Date.now() / 1000) - 5;
    const tokens = await signIn(client, { person, scope: ['openid', 'email'], acr: 'AAL3_FIDO2', authentication: { authTime } });
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, await publishedKeys(), {
      issuer,
      audience: client.client_id,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      sub: person[RBAC_USER].uid,
      client_id: client.client_id,
      scope: 'openid email',
      auth_time: authTime,
      acr: 'AAL3_FIDO2',
      amr: ['FIDO2'],
    });
    expect(grantIdOfJti(payload.jti!)).toBe(tokens.grantId);
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it('verify locally in the isolate and refuse anything else without throwing', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    const ports = testPorts();
    expect(await verifyAccessToken(ports, tokens.access_token)).toMatchObject({ client_id: client.client_id });
    // An ID token is a JWT we signed, but not an access token (RFC 9068 §4: typ).
    expect(await verifyAccessToken(ports, tokens.id_token!)).toBeNull();
    for (const junk of ['', '...', 'a.b.c', `${tokens.access_token}x`, 'x'.repeat(20_000)]) {
      expect(await verifyAccessToken(ports, junk)).toBeNull();
    }
  });

  it('stay refused once expired although an earlier check of the same token was remembered', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    let offset = 0;
    const ports = { ...testPorts(), now: () => Date.now() + offset };
    expect(await verifyAccessToken(ports, tokens.access_token)).toMatchObject({ client_id: client.client_id });
    expect(await verifyAccessToken(ports, tokens.access_token)).toMatchObject({ client_id: client.client_id });
    offset = 601_000;
    expect(await verifyAccessToken(ports, tokens.access_token)).toBeNull();
  });

  it('name their grant in the jti, and client_credentials tokens none', () => {
    expect(grantIdOfJti(`${'e'.repeat(64)}-12.abc`)).toBe(`${'e'.repeat(64)}-12`);
    // A bare object id names a session, not a grant in it.
    expect(grantIdOfJti(`${'e'.repeat(64)}.abc`)).toBeNull();
    expect(grantIdOfJti(`${'e'.repeat(64)}-0.abc`)).toBeNull();
    expect(grantIdOfJti('cc.abc')).toBeNull();
    expect(grantIdOfJti('no-dot')).toBeNull();
  });
});
