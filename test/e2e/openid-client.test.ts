// Interoperability (contract §6–7): openid-client v6, a certified relying party
// library, against `npm start`: authorization code + PKCE, refresh, userinfo,
// introspection, revocation, client_credentials and RP-initiated logout, all
// with private_key_jwt. The passkey step runs the software authenticator over
// HTTP with a cookie jar, as the sign-in page's script would.
import * as oidc from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrolledPerson, register, RBAC_USER, type HttpPerson } from '../support/node/contract.ts';
import { useStack } from '../support/node/lifecycle.ts';
import { clientSigningKey, discoverClient } from '../support/node/openid-client.ts';

const REDIRECT_URI = 'https://interop-rp.example/callback';
const POST_LOGOUT_URI = 'https://interop-rp.example/signed-out';
const UID = '555000000777';

const stack = useStack('interop');
let config: oidc.Configuration;
let person: HttpPerson;

beforeAll(async () => {
  person = await enrolledPerson(stack, {
    userName: 'interop.person',
    name: { givenName: 'Ida', familyName: 'Interop' },
    rbac: {
      uid: UID,
      identityAssuranceLevel: 3,
      organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }],
      roles: [{ orgCode: 'RX1', roleCode: 'S8000:G8000:R8000', roleName: 'Clinical Practitioner Access Role', activityCodes: ['B0570'], activities: ['Perform Patient Trace'] }],
    },
  });
  const { privateKey, jwks } = await clientSigningKey('interop-1');
  const client = await register(stack, {
    client_name: 'openid-client interop',
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [POST_LOGOUT_URI],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks,
    scope: 'openid profile nationalrbacaccess selectedrole',
  });
  config = await discoverClient(stack, client.client_id, undefined, oidc.PrivateKeyJwt(privateKey));
});

describe('openid-client v6 against npm start, with private_key_jwt (RFC 7523)', () => {
  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

  it('discovers the issuer and the endpoints it needs (OIDC Discovery §4)', () => {
    const server = config.serverMetadata();
    expect(server.issuer).toBe(stack.url);
    expect(server.end_session_endpoint).toBe(`${stack.url}/logout`);
    expect(server.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });

  it('completes the authorization code flow with PKCE, state and nonce (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1)', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile nationalrbacaccess selectedrole',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const done = await person.authorize(url.href);
    expect(done.status).toBe(302);
    const callback = new URL(done.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: stack.url, sub: UID, aud: config.clientMetadata().client_id, amr: ['FIDO2'], acr: 'AAL3_ANY', nonce });
    expect(claims.sid).toMatch(/^[0-9a-f]{64}$/);
    expect(claims.selected_roleid).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('reads userinfo with the access token (OIDC Core §5.3)', async () => {
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, UID);
    expect(userinfo).toMatchObject({ sub: UID, given_name: 'Ida', family_name: 'Interop', uid: UID });
    expect(userinfo.nhsid_nrbac_roles).toEqual([expect.objectContaining({ org_code: 'RX1', role_code: 'S8000:G8000:R8000' })]);
  });

  it('refreshes, rotating the refresh token (RFC 6749 §6), and introspects the new access token as active (RFC 7662)', async () => {
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const introspection = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspection).toMatchObject({ active: true, sub: UID, client_id: config.clientMetadata().client_id });
    tokens = refreshed;
  });

  it('revokes the refresh token, after which its access token introspects inactive (RFC 7009 §2, contract §7)', async () => {
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('obtains a client_credentials token (RFC 6749 §4.4) that introspects active with the client as subject', async () => {
    const cc = await oidc.clientCredentialsGrant(config);
    expect(cc.token_type.toLowerCase()).toBe('bearer');
    expect(cc).not.toHaveProperty('refresh_token');
    const introspection = await oidc.tokenIntrospection(config, cc.access_token);
    expect(introspection).toMatchObject({ active: true, client_id: config.clientMetadata().client_id });
  });

  it('logs out through buildEndSessionUrl with the ID token as hint, returning state; the session is then gone (RP-Initiated Logout §2, §3)', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const again = await person.authorize(
      oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's2' }).href,
    );
    // Single sign-on: no page, straight back with a code.
    const fresh = await oidc.authorizationCodeGrant(config, new URL(again.headers.get('location')!), { pkceCodeVerifier: verifier, expectedState: 's2' });
    const end = oidc.buildEndSessionUrl(config, { id_token_hint: fresh.id_token!, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'bye' });
    const res = await person.browser.fetch(end);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${POST_LOGOUT_URI}?state=bye`);
    const after = await person.browser.fetch(oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', prompt: 'none', state: 's3' }));
    expect(Object.fromEntries(new URL(after.headers.get('location')!).searchParams)).toMatchObject({ error: 'login_required', state: 's3' });
  });
});
