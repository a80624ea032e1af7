// Interoperability of PAR (RFC 9126), DPoP (RFC 9449) and token exchange
// (RFC 8693) with openid-client v6 against `npm start`, for a client registered
// with the FAPI 2.0 profile: private_key_jwt, PAR only, DPoP-bound tokens.
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrolledPerson, register, type HttpPerson } from '../support/node/contract.ts';
import { useStack } from '../support/node/lifecycle.ts';
import { clientSigningKey, discoverClient } from '../support/node/openid-client.ts';

const REDIRECT_URI = 'https://fapi-rp.example/callback';
const UID = '555000000888';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const DOWNSTREAM = 'https://pds.api.example.nhs.uk/';

const stack = useStack('fapi');
let config: oidc.Configuration;
let person: HttpPerson;
let DPoP: oidc.DPoPHandle;

beforeAll(async () => {
  person = await enrolledPerson(stack, { userName: 'fapi.person', name: { givenName: 'Fay', familyName: 'Api' }, rbac: { uid: UID, identityAssuranceLevel: 3 } });
  const { privateKey, jwks } = await clientSigningKey('fapi-1');
  const client = await register(stack, {
    client_name: 'openid-client FAPI 2.0',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token', EXCHANGE],
    token_exchange_audiences: [DOWNSTREAM],
    token_endpoint_auth_method: 'private_key_jwt',
    id_token_signed_response_alg: 'ES256',
    fapi2_profile: true,
    jwks,
    scope: 'openid profile',
  });
  config = await discoverClient(stack, client.client_id, { id_token_signed_response_alg: 'ES256' }, oidc.PrivateKeyJwt(privateKey));
  DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
});

describe('openid-client v6: PAR, DPoP and token exchange for a FAPI 2.0 client', () => {
  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

  it('discovers the PAR endpoint and the DPoP algorithms (RFC 9126 §5, RFC 9449 §5.1)', () => {
    const server = config.serverMetadata();
    expect(server.pushed_authorization_request_endpoint).toBe(`${stack.url}/par`);
    expect(server.dpop_signing_alg_values_supported).toContain('ES256');
    expect(server.grant_types_supported).toContain(EXCHANGE);
  });

  it('signs in through buildAuthorizationUrlWithPAR and gets DPoP-bound tokens (RFC 9126 §4, RFC 9449 §5)', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    }, { DPoP });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const done = await person.authorize(url.href);
    expect(done.status).toBe(302);
    tokens = await oidc.authorizationCodeGrant(config, new URL(done.headers.get('location')!), { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }, undefined, { DPoP });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: expect.any(String) });
    expect(tokens.claims()).toMatchObject({ sub: UID, iss: stack.url });
  });

  it('reads userinfo with the DPoP scheme and a proof (RFC 9449 §7)', async () => {
    expect(await oidc.fetchUserInfo(config, tokens.access_token, UID, { DPoP })).toMatchObject({ sub: UID, given_name: 'Fay' });
  });

  it('refreshes with the same DPoP key (RFC 9449 §5)', async () => {
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
    tokens = refreshed;
  });

  it('exchanges the access token for one for a downstream API with act (RFC 8693 §2, §4.1) through genericGrantRequest', async () => {
    const exchanged = await oidc.genericGrantRequest(config, EXCHANGE, { subject_token: tokens.access_token, subject_token_type: AT, resource: DOWNSTREAM }, { DPoP });
    expect(exchanged.issued_token_type).toBe(AT);
    expect(decodeJwt(exchanged.access_token)).toMatchObject({ sub: UID, aud: DOWNSTREAM, act: { sub: config.clientMetadata().client_id } });
  });

  it('refuses a plain authorization request from this client (RFC 9126 §5)', async () => {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const res = await person.browser.navigate(url.href);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
});
