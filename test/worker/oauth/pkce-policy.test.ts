// CONTRACT §6: PKCE S256 for every client unless the operator registered a
// confidential client with require_pkce false; that client must then send a
// nonce (RFC 9700 §2.1.1), which the ID token binds.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { GrantInput } from '../../../src/ports.ts';
import { authorizePath } from '../../support/sign-in.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { REDIRECT_URI, registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { adminJson, issuer } from '../../support/worker/requests.ts';
import { callConfiguration } from '../../support/worker/clients.ts';
import { createUser } from '../../support/worker/scim.ts';
import { postForm, testAuthentication, testPorts, testSession } from '../../support/worker/tokens.ts';

/** prompt=none with no session: a request that passes validation ends in login_required. */
async function authorizeWithoutSession(client: TestClient, params: Record<string, string | undefined>) {
  const res = await new Browser().fetch(authorizePath(client, { prompt: 'none', state: 'p', ...params }));
  return redirectParams(res);
}

/** A code issued as the authorization endpoint does for a request without code_challenge. */
async function codeWithoutPkce(client: TestClient, nonce: string): Promise<string> {
  const person = await createUser();
  const authentication = testAuthentication(person.id);
  const { session } = await testSession(authentication, Date.now() - 60_000);
  const input: GrantInput = {
    clientId: client.client_id,
    personId: person.id,
    sessionId: session.id,
    scope: ['openid'],
    redirectUri: REDIRECT_URI,
    codeChallenge: null,
    nonce,
    authentication,
    acr: 'AAL3_ANY',
    selectedRoleId: null,
  };
  const issued = await testPorts().grants.issueCode(input);
  return issued!.code;
}

describe('require_pkce client metadata (CONTRACT §3, §6)', () => {
  it('defaults to true and is echoed in the registration response', async () => {
    const client = await registerWebClient();
    expect(client.require_pkce).toBe(true);
    const relaxed = await registerWebClient({ require_pkce: false });
    expect(relaxed.require_pkce).toBe(false);
  });

  it('refuses require_pkce false for a public client (RFC 9700 §2.1.1)', async () => {
    const res = await adminJson('/register', 'POST', { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', require_pkce: false });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('lets the client turn require_pkce on with its registration access token but never off (CONTRACT §3)', async () => {
    const client = await registerWebClient();
    const { client_secret: _, registration_access_token: __, registration_client_uri: ___, client_id_issued_at: ____, client_secret_expires_at: _____, ...metadata } = client;
    const put = (token: string | null, body: Record<string, unknown>) =>
      callConfiguration(client, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, token);
    const off = await put(client.registration_access_token, { ...metadata, require_pkce: false });
    expect(off.status).toBe(400);
    expect(await off.json()).toMatchObject({ error: 'invalid_client_metadata', error_description: expect.stringContaining('require_pkce') });
    const byOperator = await put(testPorts().config.adminToken, { ...metadata, require_pkce: false });
    expect(byOperator.status).toBe(200);
    expect(await byOperator.json()).toMatchObject({ require_pkce: false });
  });

  it('discovery says PKCE is required by default and S256 is the only method', async () => {
    const doc = (await (await new Browser().fetch('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ require_pkce_default: true, code_challenge_methods_supported: ['S256'] });
  });
});

describe('the authorization request under each policy (RFC 9700 §2.1.1, RFC 7636 §4.2)', () => {
  it('refuses a request without code_challenge from a client that requires PKCE', async () => {
    const client = await registerWebClient();
    expect(await authorizeWithoutSession(client, { code_challenge: undefined, code_challenge_method: undefined })).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('code_challenge'),
    });
  });

  it('refuses a client registered with require_pkce false that omits both code_challenge and nonce', async () => {
    const client = await registerWebClient({ require_pkce: false });
    expect(await authorizeWithoutSession(client, { code_challenge: undefined, code_challenge_method: undefined, nonce: undefined })).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('nonce'),
      iss: issuer,
    });
  });

  it('accepts a client registered with require_pkce false that omits code_challenge and sends nonce', async () => {
    const client = await registerWebClient({ require_pkce: false });
    expect(await authorizeWithoutSession(client, { code_challenge: undefined, code_challenge_method: undefined })).toMatchObject({ error: 'login_required' });
  });

  it('still refuses plain for a client registered with require_pkce false', async () => {
    const client = await registerWebClient({ require_pkce: false });
    expect(await authorizeWithoutSession(client, { code_challenge_method: 'plain' })).toMatchObject({ error: 'invalid_request' });
  });
});

describe('redeeming a code issued without PKCE (RFC 9700 §4.8.2)', () => {
  it('redeems it without code_verifier and binds the nonce in the ID token (OIDC Core §3.1.3.7)', async () => {
    const client = await registerWebClient({ require_pkce: false });
    const code = await codeWithoutPkce(client, 'nonce-bound');
    const res = await postForm('/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, client);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id_token: string };
    expect(decodeJwt(body.id_token)).toMatchObject({ nonce: 'nonce-bound', aud: client.client_id });
  });

  it('refuses a code_verifier for a code issued without code_challenge (PKCE downgrade)', async () => {
    const client = await registerWebClient({ require_pkce: false });
    const code = await codeWithoutPkce(client, 'n');
    const res = await postForm('/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: 'v'.repeat(43) }, client);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('still asks a require_pkce client for its code_verifier', async () => {
    const client = await registerWebClient();
    const code = await codeWithoutPkce(client, 'n');
    const res = await postForm('/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, client);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: 'code_verifier is required' });
  });
});
