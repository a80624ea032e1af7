// RFC 8707: resource at the authorization and token endpoints makes that
// resource the access token's aud (CONTRACT §7); a resource server the operator
// registered for it may introspect such tokens (RFC 7662 §4).
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorizePath } from '../../support/sign-in.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, issueTestCode, postForm, redeemCode, refresh, testPorts, type TokenSet } from '../../support/worker/tokens.ts';

const API = 'https://records.example.nhs.uk/api';
const OTHER_API = 'https://prescribing.example.nhs.uk/';

/** A code as the authorization endpoint issues it, for `resource` when given (stored in the grant). */
async function codeFor(client: TestClient, resource?: string) {
  const code = await issueTestCode({ client, person: await createUser(), scope: ['openid', 'profile'] });
  if (resource === undefined) return code;
  const issued = await testPorts().grants.issueCode({ ...code.input, resource });
  return { ...code, ...issued! };
}

async function tokens(res: Response): Promise<TokenSet> {
  expect(res.status).toBe(200);
  return (await res.json()) as TokenSet;
}

async function expectInvalidTarget(res: Response) {
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: 'invalid_target', error_description: expect.any(String) });
}

describe('resource at the authorization endpoint (RFC 8707 §2.1)', () => {
  const authorize = async (client: TestClient, params: Record<string, string>) =>
    redirectParams(await new Browser().fetch(authorizePath(client, { prompt: 'none', state: 's', ...params })));

  it('accepts an absolute URI the client may ask for', async () => {
    const client = await registerWebClient({ allowed_resources: [API] });
    expect(await authorize(client, { resource: API })).toMatchObject({ error: 'login_required' });
  });

  it.each([
    ['a relative URI', '/api'],
    ['a URI with a fragment', `${API}#frag`],
    ['a resource outside allowed_resources', OTHER_API],
  ])('refuses %s with invalid_target', async (_, resource) => {
    const client = await registerWebClient({ allowed_resources: [API] });
    expect(await authorize(client, { resource })).toMatchObject({ error: 'invalid_target', state: 's' });
  });

  it('refuses two resources in one request with invalid_target (one aud per token)', async () => {
    const client = await registerWebClient();
    const res = await new Browser().fetch(`${authorizePath(client, { prompt: 'none', resource: API })}&resource=${encodeURIComponent(OTHER_API)}`);
    expect(redirectParams(res)).toMatchObject({ error: 'invalid_target' });
  });
});

describe('resource at the token endpoint (RFC 8707 §2.2)', () => {
  it('issues an access token whose aud is the resource of the grant, and keeps it on refresh', async () => {
    const client = await registerWebClient({ allowed_resources: [API] });
    const code = await codeFor(client, API);
    const first = await tokens(await redeemCode(client, code));
    expect(decodeJwt(first.access_token)).toMatchObject({ aud: API, client_id: client.client_id });
    // The ID token is still for the client (OIDC Core §2).
    expect(decodeJwt(first.id_token!)).toMatchObject({ aud: client.client_id });
    const second = await tokens(await refresh(client, first.refresh_token!));
    expect(decodeJwt(second.access_token)).toMatchObject({ aud: API });
  });

  it('takes a resource named only at the token endpoint, within allowed_resources', async () => {
    const client = await registerWebClient({ allowed_resources: [API] });
    const set = await tokens(await redeemCode(client, await codeFor(client), { resource: API }));
    expect(decodeJwt(set.access_token)).toMatchObject({ aud: API });
    const again = await tokens(await refresh(client, set.refresh_token!));
    // Without resource at refresh, the token is for the client again: the grant was not made for a resource.
    expect(decodeJwt(again.access_token)).toMatchObject({ aud: client.client_id });
  });

  it('refuses a resource other than the one the grant was made for', async () => {
    const client = await registerWebClient();
    const set = await tokens(await redeemCode(client, await codeFor(client, API)));
    await expectInvalidTarget(await refresh(client, set.refresh_token!, { resource: OTHER_API }));
  });

  it('refuses a resource outside allowed_resources before the code is spent', async () => {
    const client = await registerWebClient({ allowed_resources: [API] });
    const code = await codeFor(client);
    await expectInvalidTarget(await redeemCode(client, code, { resource: OTHER_API }));
    await tokens(await redeemCode(client, code));
  });

  it('gives client credentials tokens the resource as aud', async () => {
    const service = (await registerClient({ grant_types: ['client_credentials'], scope: 'records:read' })) as TestClient;
    const set = await tokens(await postForm('/token', { grant_type: 'client_credentials', resource: API }, service));
    expect(decodeJwt(set.access_token)).toMatchObject({ aud: API, sub: service.client_id });
    await expectInvalidTarget(await postForm('/token', { grant_type: 'client_credentials', resource: 'not a uri' }, service));
  });
});

describe('who may introspect a token for a resource (RFC 7662 §4, RFC 8707)', () => {
  it('answers the resource server registered as serving it, and no other client', async () => {
    const client = await registerWebClient();
    const set = await tokens(await redeemCode(client, await codeFor(client, API)));
    const server = (await registerClient({ grant_types: ['client_credentials'], served_resources: [API] })) as TestClient;
    const stranger = (await registerClient({ grant_types: ['client_credentials'], served_resources: [OTHER_API] })) as TestClient;
    expect(await introspect(server, set.access_token)).toMatchObject({ active: true, aud: API, client_id: client.client_id });
    expect(await introspect(stranger, set.access_token)).toEqual({ active: false });
    expect(await introspect(client, set.access_token)).toMatchObject({ active: true });
  });

  it('does not let a client that may only ask for the resource read other clients\' tokens for it', async () => {
    const client = await registerWebClient();
    const set = await tokens(await redeemCode(client, await codeFor(client, API)));
    const asker = (await registerClient({ grant_types: ['client_credentials'], allowed_resources: [API] })) as TestClient;
    expect(await introspect(asker, set.access_token)).toEqual({ active: false });
  });
});

describe('userinfo with a token for a resource (OIDC Core §5.3.1)', () => {
  it('answers, since the openid scope, not the aud, entitles a token there', async () => {
    const client = await registerWebClient();
    const set = await tokens(await redeemCode(client, await codeFor(client, API)));
    const res = await new Browser().fetch('/userinfo', { headers: { authorization: `Bearer ${set.access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('sub');
  });
});
