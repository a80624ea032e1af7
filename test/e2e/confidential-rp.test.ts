// A CIS2-style confidential relying party against `npm start`, through
// openid-client v6 (a certified library): client_secret_jwt (RFC 7523 HS256),
// no PKCE under require_pkce false, so nonce is then required (RFC 9700 §2.1.1),
// and a resource indicator (RFC 8707) whose access token a resource server
// verifies with jose and introspects (RFC 7662).
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrolledPerson, register, type HttpPerson } from '../support/node/contract.ts';
import { useStack } from '../support/node/lifecycle.ts';
import { discoverClient } from '../support/node/openid-client.ts';

const REDIRECT_URI = 'https://cis2-rp.example/callback';
const API = 'https://records-api.example/';
const UID = '555000000888';

const stack = useStack('confidential');
let config: oidc.Configuration;
let resourceServer: { client_id: string; client_secret: string };
let person: HttpPerson;

beforeAll(async () => {
  person = await enrolledPerson(stack, { userName: 'confidential.person', name: { givenName: 'Cora', familyName: 'Confidential' }, rbac: { uid: UID, identityAssuranceLevel: 3 } });

  // What the operator registers for an existing CIS2 relying party (CONTRACT §3).
  const client = await register(stack, {
    client_name: 'CIS2 relying party',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'client_secret_jwt',
    require_pkce: false,
    allowed_resources: [API],
    scope: 'openid profile records:read',
  });
  expect(client).toMatchObject({ require_pkce: false, token_endpoint_auth_method: 'client_secret_jwt' });
  resourceServer = (await register(stack, {
    client_name: 'Records API',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
    served_resources: [API],
  })) as { client_id: string; client_secret: string };
  config = await discoverClient(stack, client.client_id, client.client_secret, oidc.ClientSecretJwt(client.client_secret));
});

describe('a confidential client without PKCE, with client_secret_jwt (CONTRACT §6, §7)', () => {
  it('discovers client_secret_jwt with HS256 (RFC 8414 §2)', () => {
    const server = config.serverMetadata();
    expect(server.token_endpoint_auth_methods_supported).toContain('client_secret_jwt');
    expect(server.token_endpoint_auth_signing_alg_values_supported).toContain('HS256');
  });

  it('is refused without nonce when it sends no code_challenge (RFC 9700 §2.1.1)', async () => {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 'no-nonce' });
    const res = await person.browser.fetch(url.href);
    expect(res.status).toBe(302);
    const params = Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
    expect(params).toMatchObject({ error: 'invalid_request', state: 'no-nonce', iss: stack.url });
    expect(params.error_description).toMatch(/nonce/);
  });

  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

  it('is served with nonce, the ID token binding it, and the access token for the resource asked for (RFC 8707 §2)', async () => {
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', state: 'with-nonce', nonce, resource: API });
    const done = await person.authorize(url.href);
    expect(done.status).toBe(302);
    tokens = await oidc.authorizationCodeGrant(config, new URL(done.headers.get('location')!), { expectedState: 'with-nonce', expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.claims()).toMatchObject({ sub: UID, nonce, aud: config.clientMetadata().client_id });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('gives the resource server a token it verifies with jose against its own resource URI (RFC 9068 §4)', async () => {
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: stack.url, audience: API, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: UID, client_id: config.clientMetadata().client_id, scope: 'openid profile' });
    // And refuses it as a token for any other audience.
    await expect(jwtVerify(tokens.access_token, jwks, { issuer: stack.url, audience: config.clientMetadata().client_id })).rejects.toThrow();
  });

  it('lets the resource server registered for that resource introspect the token (RFC 7662 §4)', async () => {
    const res = await fetch(config.serverMetadata().introspection_endpoint!, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${resourceServer.client_id}:${resourceServer.client_secret}`)}`,
      },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: true, aud: API, sub: UID });
  });

  it('keeps the resource on refresh and reads userinfo with the openid scope (OIDC Core §5.3.1)', async () => {
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    const { payload } = await jwtVerify(refreshed.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { audience: API });
    expect(payload.sub).toBe(UID);
    expect(await oidc.fetchUserInfo(config, refreshed.access_token, UID)).toMatchObject({ sub: UID, given_name: 'Cora' });
  });

  it('gets a client_credentials token for the resource, authenticated by client_secret_jwt', async () => {
    const cc = await oidc.clientCredentialsGrant(config, { scope: 'records:read', resource: API });
    const { payload } = await jwtVerify(cc.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { audience: API, issuer: stack.url });
    expect(payload).toMatchObject({ sub: config.clientMetadata().client_id, scope: 'records:read' });
  });
});
