// Token exchange (RFC 8693): an API exchanges the access token it received for
// one to call another API on the person's behalf, under the operator's policy.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { registerKeyClient, registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { adminJson } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, postForm, revoke, signIn } from '../../support/worker/tokens.ts';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AT = 'urn:ietf:params:oauth:token-type:access_token';
const DOWNSTREAM = 'https://pds.api.example.nhs.uk/';

/** The API that receives the person's token: a confidential client allowed to exchange for DOWNSTREAM. */
const registerApi = (metadata: Record<string, unknown> = {}) =>
  registerKeyClient({ client_name: 'Gateway API', grant_types: ['client_credentials', GRANT], token_exchange_audiences: [DOWNSTREAM], scope: 'pds:read', ...metadata });

/** A person's access token issued to `rp` with `api` as a resource server in aud is what arrives; here the API's own front end signs in. */
async function personToken(api: TestClient) {
  const person = await createUser();
  const tokens = await signIn(api, { person, scope: ['openid', 'profile'] });
  return { person, tokens };
}

const exchange = (client: TestClient, params: Record<string, string>) =>
  postForm('/token', { grant_type: GRANT, subject_token_type: AT, resource: DOWNSTREAM, ...params }, client);

describe('POST /token grant_type=token-exchange (RFC 8693 §2)', () => {
  it('issues an access token for the audience with the person\'s sub, acr, amr, auth_time and act naming the client (RFC 8693 §2.2, §4.1)', async () => {
    const api = await registerApi({ redirect_uris: ['https://rp.example.com/callback'], grant_types: ['authorization_code', 'client_credentials', GRANT], scope: 'openid profile pds:read' });
    const { tokens } = await personToken(api);
    const res = await exchange(api, { subject_token: tokens.access_token, scope: 'profile' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ issued_token_type: AT, token_type: 'Bearer', scope: 'profile' });
    const original = decodeJwt(tokens.access_token);
    const exchanged = decodeJwt(body.access_token as string);
    expect(exchanged).toMatchObject({ sub: original.sub, acr: original.acr, amr: original.amr, auth_time: original.auth_time, aud: DOWNSTREAM, client_id: api.client_id, act: { sub: api.client_id } });
    expect(exchanged.exp).toBeLessThanOrEqual(original.exp!);
    expect(await introspect(api, body.access_token as string)).toMatchObject({ active: true, sub: original.sub });
  });

  it('revokes the exchanged token when the original grant is revoked (RFC 7009 §2.1)', async () => {
    const api = await registerApi({ redirect_uris: ['https://rp.example.com/callback'], grant_types: ['authorization_code', 'refresh_token', 'client_credentials', GRANT], scope: 'openid profile' });
    const { tokens } = await personToken(api);
    const exchanged = ((await (await exchange(api, { subject_token: tokens.access_token })).json()) as { access_token: string }).access_token;
    expect(await introspect(api, exchanged)).toMatchObject({ active: true });
    expect((await revoke(api, tokens.refresh_token!)).status).toBe(200);
    expect(await introspect(api, exchanged)).toEqual({ active: false });
  });

  it('refuses a scope wider than the subject token (RFC 8693 §2.1): invalid_scope', async () => {
    const api = await registerApi({ redirect_uris: ['https://rp.example.com/callback'], grant_types: ['authorization_code', 'client_credentials', GRANT], scope: 'openid profile email' });
    const { tokens } = await personToken(api);
    const res = await exchange(api, { subject_token: tokens.access_token, scope: 'openid email' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses an audience the operator did not allow the client: invalid_target (RFC 8693 §2.2.2)', async () => {
    const api = await registerApi({ redirect_uris: ['https://rp.example.com/callback'], grant_types: ['authorization_code', 'client_credentials', GRANT], scope: 'openid' });
    const { tokens } = await personToken(api);
    const res = await exchange(api, { subject_token: tokens.access_token, resource: 'https://other.api.example/' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('refuses a subject token that was neither issued to nor for the exchanging client: invalid_grant', async () => {
    const rp = await registerWebClient();
    const api = await registerApi();
    const person = await createUser();
    const tokens = await signIn(rp, { person });
    const res = await exchange(api, { subject_token: tokens.access_token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    [{ subject_token: 'not-a-token' }, 'invalid_grant'],
    [{ subject_token: 'x', subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 'invalid_request'],
    [{ subject_token: 'x', audience: 'both' }, 'invalid_request'],
    [{ subject_token: 'x', requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }, 'invalid_request'],
  ])('refuses %j with %s', async (params, error) => {
    const api = await registerApi();
    const res = await exchange(api, params);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error });
  });

  it('refuses a client not registered for the grant (RFC 6749 §5.2 unauthorized_client)', async () => {
    const rp = await registerWebClient();
    const res = await exchange(rp, { subject_token: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });
});

describe('token exchange policy in registration (RFC 8693, CONTRACT §3)', () => {
  it('registers the grant only with token_exchange_audiences, and the audiences only with the grant', async () => {
    const base = { client_name: 'x', token_endpoint_auth_method: 'client_secret_basic', scope: 'pds:read' };
    const noAudiences = await adminJson('/register', 'POST', { ...base, grant_types: ['client_credentials', GRANT] });
    expect(noAudiences.status).toBe(400);
    const noGrant = await adminJson('/register', 'POST', { ...base, grant_types: ['client_credentials'], token_exchange_audiences: [DOWNSTREAM] });
    expect(noGrant.status).toBe(400);
  });
});
