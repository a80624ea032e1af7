// The FAPI 2.0 Security Profile for a client registered with fapi2_profile:
// PAR only (with redirect_uri), PKCE S256, private_key_jwt, DPoP-bound tokens,
// iss in the response, ID tokens in ES256 or PS256.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopKey, dpopProof } from '../../support/dpop.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { CLIENT_ASSERTION_TYPE, clientAssertion, REDIRECT_URI, registerKeyClient, registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { adminJson, issuer } from '../../support/worker/requests.ts';
import { postForm } from '../../support/worker/tokens.ts';
import { authorizePath, CODE_CHALLENGE, CODE_VERIFIER, followAuthorization } from '../../support/sign-in.ts';

const fapiClient = () => registerKeyClient({ fapi2_profile: true, id_token_signed_response_alg: 'ES256' });

const pushed = (client: TestClient, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  postForm('/par', {
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    state: 'fapi-state',
    nonce: 'fapi-nonce',
    code_challenge: CODE_CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  }, client, headers);

describe('FAPI 2.0 Security Profile for clients registered with fapi2_profile', () => {
  it('runs PAR → code with iss → DPoP-bound tokens, ID token in ES256 (FAPI 2.0 §5.3.2.1, §5.3.2.2, §5.4.1)', async () => {
    const client = await fapiClient();
    const { authenticator } = await enrolPasskey();
    const key = await dpopKey();
    const par = await pushed(client, {}, { dpop: await dpopProof(key, { htu: `${issuer}/par` }) });
    expect(par.status).toBe(201);
    const { request_uri } = (await par.json()) as { request_uri: string };
    const done = await followAuthorization(new Browser(), `/authorize?${new URLSearchParams({ client_id: client.client_id, request_uri })}`, authenticator);
    const { code, iss, state } = redirectParams(done);
    expect({ iss, state }).toEqual({ iss: issuer, state: 'fapi-state' });
    const token = (dpop?: string) =>
      postForm('/token', { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: CODE_VERIFIER }, client, dpop ? { dpop } : {});
    const without = await token();
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({ error: 'invalid_dpop_proof' });
    const res = await token(await dpopProof(key, { htu: `${issuer}/token` }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; id_token: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(decodeProtectedHeader(body.id_token).alg).toBe('ES256');
    expect(decodeProtectedHeader(body.access_token).alg).toBe('ES256');
  });

  it('accepts only the issuer as a client assertion aud, not the token endpoint URL (FAPI 2.0 Security Profile, audience injection)', async () => {
    const client = await fapiClient();
    const key = await dpopKey();
    const push = async (aud: string) =>
      postForm(
        '/par',
        {
          response_type: 'code',
          redirect_uri: REDIRECT_URI,
          scope: 'openid',
          code_challenge: CODE_CHALLENGE,
          code_challenge_method: 'S256',
          client_id: client.client_id,
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: await clientAssertion(client, { aud }),
        },
        null,
        { dpop: await dpopProof(key, { htu: `${issuer}/par` }) },
      );
    const tokenEndpoint = await push(`${issuer}/token`);
    expect(tokenEndpoint.status).toBe(401);
    expect(await tokenEndpoint.json()).toMatchObject({ error: 'invalid_client' });
    expect((await push(issuer)).status).toBe(201);
  });

  it('refuses a plain authorization request (FAPI 2.0 §5.3.2.2: PAR only)', async () => {
    const client = await fapiClient();
    const res = await new Browser().fetch(authorizePath(client, { state: 'f' }));
    expect(res.status).toBe(302);
    expect(redirectParams(res)).toMatchObject({ error: 'invalid_request', iss: issuer });
  });

  it('refuses a pushed request without redirect_uri, even with one registered (FAPI 2.0 §5.3.2.2)', async () => {
    const client = await fapiClient();
    const res = await pushed(client, { redirect_uri: '' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a request object by value, pushed or not (FAPI 2.0 §5.3.2.2, RFC 9101)', async () => {
    const client = await fapiClient();
    const res = await pushed(client, { request: 'e30.e30.' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'request_not_supported' });
  });

  it('refuses a response_mode other than query or form_post (FAPI 2.0 §5.3.2.2)', async () => {
    const client = await fapiClient();
    const res = await pushed(client, { response_mode: 'fragment' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it.each([
    ['client_secret_basic', { token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' }],
    ['RS256 ID tokens', { id_token_signed_response_alg: 'RS256' }],
  ])('refuses to register a FAPI 2.0 client with %s (FAPI 2.0 §5.3.2.1, §5.4.1)', async (_, metadata) => {
    const res = await adminJson('/register', 'POST', {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] },
      fapi2_profile: true,
      ...metadata,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('leaves clients without the flag as they were: plain requests and Bearer tokens', async () => {
    const client = await registerWebClient();
    expect((await new Browser().fetch(authorizePath(client))).status).toBe(303);
  });
});
