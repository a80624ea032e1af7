import { decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../../src/tokens/id-token.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { createMultiRolePerson } from '../../support/worker/people.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser, RBAC_USER } from '../../support/worker/scim.ts';
import { publishedKeys, signIn, testPorts } from '../../support/worker/tokens.ts';

describe('ID tokens (OpenID Connect Core §2, §3.1.3.6; CONTRACT §7, §8)', () => {
  // The keys object creates a non-default algorithm's keys on its first use,
  // and an isolate caches the JWKS for a minute; create them before this
  // file's first JWKS load so that /jwks.json already publishes them.
  beforeAll(async () => {
    for (const alg of ['PS256', 'EdDSA'] as const) await testPorts().keys.signingKey(alg);
  });

  it('carries the protocol and CIS2 assurance claims and azp = client_id (CONTRACT §8), verified against /jwks.json', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const authTime = Math.floor(Date.now() / 1000) - 30;
    const tokens = await signIn(client, {
      person,
      scope: ['openid'],
      nonce: 'nonce-1',
      acr: 'AAL2_OR_AAL3_ANY',
      authentication: { authTime, aal: 2, amr: ['FIDO2'] },
    });
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, await publishedKeys(), { issuer, audience: client.client_id });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: person[RBAC_USER].uid,
      auth_time: authTime,
      nonce: 'nonce-1',
      acr: 'AAL2_OR_AAL3_ANY',
      amr: ['FIDO2'],
      sid: tokens.sessionId,
      azp: client.client_id,
      authentication_assurance_level: '2',
      id_assurance_level: '3',
      at_hash: await tokenHash(tokens.access_token, 'RS256'),
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload).not.toHaveProperty('name');
  });

  it.each(['ES256', 'PS256', 'EdDSA'] as const)('is signed with the client’s id_token_signed_response_alg %s, at_hash per that alg', async (alg) => {
    const [client, person] = await Promise.all([registerWebClient({ id_token_signed_response_alg: alg }), createUser()]);
    const tokens = await signIn(client, { person });
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe(alg);
    const { payload } = await jwtVerify(tokens.id_token!, await publishedKeys(), { issuer, audience: client.client_id, algorithms: [alg] });
    expect(payload.at_hash).toBe(await tokenHash(tokens.access_token, alg));
  });

  it('carries identity claims and selected_roleid, but not organisations or roles (CONTRACT §8)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createMultiRolePerson()]);
    const roleId = (person[RBAC_USER].roles as { id: string }[])[0]!.id;
    const scope = ['openid', 'profile', 'email', 'nhsperson', 'nationalrbacaccess', 'associatedorgs', 'selectedrole'];
    const tokens = await signIn(client, { person, scope, selectedRoleId: roleId });
    const { payload } = await jwtVerify(tokens.id_token!, await publishedKeys(), { issuer });
    expect(payload).toMatchObject({ given_name: 'Ada', email: person.emails[0].value, nhsid_useruid: person[RBAC_USER].uid, selected_roleid: roleId });
    expect(payload).not.toHaveProperty('nhsid_nrbac_roles');
    expect(payload).not.toHaveProperty('nhsid_user_orgs');
  });

  it('has no nonce when the authorization request sent none', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const { payload } = await jwtVerify((await signIn(client, { person })).id_token!, await publishedKeys(), { issuer });
    expect(payload).not.toHaveProperty('nonce');
  });
});
