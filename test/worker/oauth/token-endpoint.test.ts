import { describe, expect, it } from 'vitest';
import { basicAuthorization, registerWebClient } from '../../support/worker/client-auth.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { issueTestCode, postForm, redeemCode } from '../../support/worker/tokens.ts';
import { expectError as expectErrorBody } from '../../support/expect-error.ts';

const expectError = (res: Response, status: number, error: string) => expectErrorBody(res, status, error, { noStore: true });

function rawToken(body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) {
  return call('/token', { method: 'POST', headers, body });
}

describe('POST /token: requests the endpoint cannot take (RFC 6749 §5.2, CONTRACT §9)', () => {
  it('answers an unknown grant_type with unsupported_grant_type', async () => {
    const client = await registerWebClient();
    await expectError(await postForm('/token', { grant_type: 'password', username: 'a', password: 'b' }, client), 400, 'unsupported_grant_type');
  });

  it('answers the device_code grant from a client not registered for it with unauthorized_client (RFC 8628 §3.4)', async () => {
    const client = await registerWebClient();
    await expectError(await postForm('/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'x' }, client), 400, 'unauthorized_client');
  });

  it('answers a missing grant_type with invalid_request', async () => {
    await expectError(await postForm('/token', { code: 'x' }, await registerWebClient()), 400, 'invalid_request');
  });

  it('answers a grant type the client did not register with unauthorized_client', async () => {
    const client = await registerWebClient({ grant_types: ['authorization_code'] });
    await expectError(await postForm('/token', { grant_type: 'client_credentials' }, client), 400, 'unauthorized_client');
    await expectError(await postForm('/token', { grant_type: 'refresh_token', refresh_token: 'x' }, client), 400, 'unauthorized_client');
  });

  it('answers a repeated parameter with invalid_request (RFC 6749 §3.2)', async () => {
    const client = await registerWebClient();
    const body = `grant_type=client_credentials&grant_type=client_credentials`;
    const res = await rawToken(body, { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(client.client_id, client.client_secret!) });
    await expectError(res, 400, 'invalid_request');
  });

  it.each([
    ['JSON', 'application/json', JSON.stringify({ grant_type: 'client_credentials' })],
    ['plain text', 'text/plain', 'grant_type=client_credentials'],
    ['no content type', '', 'grant_type=client_credentials'],
  ])('answers a %s body with 400 invalid_request: forms only (RFC 6749 §3.2)', async (_, type, body) => {
    await expectError(await rawToken(body, type ? { 'content-type': type } : {}), 400, 'invalid_request');
  });

  it('answers malformed percent-encoding without a 500', async () => {
    const res = await rawToken('grant_type=%E0%A4%A&code=%%%');
    expect(res.status).toBeLessThan(500);
  });

  it('answers a body over 1 MiB with 413', async () => {
    await expectError(await rawToken(`grant_type=client_credentials&pad=${'x'.repeat(1024 * 1024)}`), 413, 'invalid_request');
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow: POST', async (method) => {
    const res = await call('/token', { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('answers a request with no client authentication with 401 invalid_client', async () => {
    await expectError(await rawToken('grant_type=client_credentials'), 401, 'invalid_client');
  });

  it('ignores parameters it does not know (RFC 6749 §3.2) and treats empty ones as absent (§3.1)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const res = await redeemCode(client, await issueTestCode({ client, person }), { unknown_parameter: 'x', state: '' });
    expect(res.status).toBe(200);
  });
});

describe('discovery names the token-side endpoints (CONTRACT §2)', () => {
  it('advertises token, userinfo, introspection and revocation endpoints with their methods and grants', async () => {
    const doc = (await (await call('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      introspection_endpoint: `${issuer}/introspect`,
      revocation_endpoint: `${issuer}/revoke`,
      grant_types_supported: [
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ],
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_jwt', 'client_secret_basic', 'client_secret_post', 'none'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256', 'PS256', 'EdDSA', 'HS256'],
    });
  });
});
