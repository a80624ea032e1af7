import { and, eq } from 'drizzle-orm';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import {
  basicAuthorization,
  CLIENT_ASSERTION_TYPE,
  clientAssertion,
  registerKeyClient,
  registerWebClient,
  type AssertionOptions,
  type TestClient,
} from '../../support/worker/client-auth.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { eventually } from '../../support/worker/logout.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { issueTestCode, redeemCode } from '../../support/worker/tokens.ts';

function tokenRequest(params: Record<string, string>, headers: Record<string, string> = {}) {
  return call('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

/** A code redemption authenticated only by what `auth` adds. */
async function redeemWith(client: TestClient, auth: { params?: Record<string, string>; headers?: Record<string, string> }) {
  const person = await createUser();
  const code = await issueTestCode({ client, person });
  const params = { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier };
  return tokenRequest({ ...params, ...auth.params }, auth.headers);
}

async function expectInvalidClient(res: Response, basic = false) {
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  if (basic) expect(res.headers.get('www-authenticate')).toBe(`Basic realm="${issuer}"`);
  else expect(res.headers.get('www-authenticate')).toBeNull();
}

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  it('authenticates with form-urlencoded id and secret in Basic', async () => {
    const client = await registerWebClient();
    const res = await redeemWith(client, { headers: { authorization: basicAuthorization(client.client_id, client.client_secret!) } });
    expect(res.status).toBe(200);
  });

  it('decodes percent-encoded characters in the Basic credentials', async () => {
    const client = await registerWebClient();
    const percent = (s: string) => [...s].map((ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    const authorization = `Basic ${btoa(`${percent(client.client_id)}:${percent(client.client_secret!)}`)}`;
    expect((await redeemWith(client, { headers: { authorization } })).status).toBe(200);
  });

  it('refuses a wrong secret with 401 and a Basic challenge (RFC 6749 §5.2), and audits the failure', async () => {
    const client = await registerWebClient();
    await expectInvalidClient(await redeemWith(client, { headers: { authorization: basicAuthorization(client.client_id, 'wrong') } }), true);
    // A failed client authentication is a best-effort row (src/audit.ts): it may land just after the answer.
    const events = await eventually(async () => {
      const rows = await testDatabase()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clientId, client.client_id), eq(auditEvents.action, 'client.authenticate')));
      return rows.length > 0 ? rows : null;
    }, 'the client.authenticate row');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failure', details: { method: 'client_secret_basic', reason: 'wrong client secret' } });
    expect(JSON.stringify(events[0])).not.toContain(client.client_secret!);
  });

  it.each([
    ['not base64', 'Basic !!!'],
    ['no colon', `Basic ${btoa('just-an-id')}`],
    ['a broken percent-escape', `Basic ${btoa('%zz:secret')}`],
    ['an empty scheme', 'Basic'],
  ])('refuses malformed Basic credentials (%s) with 401 and a challenge', async (_, authorization) => {
    await expectInvalidClient(await tokenRequest({ grant_type: 'client_credentials' }, { authorization }), true);
  });

  it('refuses a client registered for client_secret_basic that sends its secret in the form', async () => {
    const client = await registerWebClient();
    await expectInvalidClient(await redeemWith(client, { params: { client_id: client.client_id, client_secret: client.client_secret! } }));
  });

  it('answers two authentication methods in one request with invalid_request (RFC 6749 §2.3, §5.2)', async () => {
    const client = await registerWebClient();
    const res = await redeemWith(client, {
      headers: { authorization: basicAuthorization(client.client_id, client.client_secret!) },
      params: { client_secret: client.client_secret! },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a client_id parameter that differs from the Basic credentials', async () => {
    const [client, other] = await Promise.all([registerWebClient(), registerWebClient()]);
    const res = await redeemWith(client, {
      headers: { authorization: basicAuthorization(client.client_id, client.client_secret!) },
      params: { client_id: other.client_id },
    });
    await expectInvalidClient(res, true);
  });

  it('refuses an unknown client', async () => {
    const res = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basicAuthorization('no-such-client', 'secret') });
    await expectInvalidClient(res, true);
  });
});

describe('client_secret_post (RFC 6749 §2.3.1)', () => {
  it('authenticates with client_id and client_secret in the form', async () => {
    const client = await registerWebClient({ token_endpoint_auth_method: 'client_secret_post' });
    expect((await redeemWith(client, { params: { client_id: client.client_id, client_secret: client.client_secret! } })).status).toBe(200);
  });

  it('refuses a wrong secret with 401 and no Basic challenge', async () => {
    const client = await registerWebClient({ token_endpoint_auth_method: 'client_secret_post' });
    await expectInvalidClient(await redeemWith(client, { params: { client_id: client.client_id, client_secret: 'wrong' } }));
  });
});

describe('none: public clients (CONTRACT §7)', () => {
  it('redeems a code with PKCE and client_id alone', async () => {
    const client = await registerWebClient({ token_endpoint_auth_method: 'none' });
    expect((await redeemWith(client, { params: { client_id: client.client_id } })).status).toBe(200);
  });

  it('refuses a confidential client that sends only its client_id', async () => {
    const client = await registerWebClient();
    await expectInvalidClient(await redeemWith(client, { params: { client_id: client.client_id } }));
  });
});

describe('private_key_jwt (RFC 7523 §3, OpenID Connect Core §9)', () => {
  const withAssertion = (assertion: string) => ({ params: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion } });

  it.each([
    ['the token endpoint', `${issuer}/token`],
    ['the issuer', issuer],
    ['an array of exactly the issuer', [issuer]],
  ])('accepts an assertion whose aud is %s', async (_, aud) => {
    const client = await registerKeyClient();
    expect((await redeemWith(client, withAssertion(await clientAssertion(client, { aud })))).status).toBe(200);
  });

  it('accepts an assertion valid for 3,600 s with no kid, as Python Authlib signs them (RFC 7523 §3, CLIENT_ASSERTION_MAX_AGE)', async () => {
    const client = await registerKeyClient();
    const assertion = await clientAssertion(client, { expiresIn: 3600, omitKid: true });
    expect((await redeemWith(client, withAssertion(assertion))).status).toBe(200);
    // Its jti stays spent: the replay cache keeps it until the assertion's exp.
    await expectInvalidClient(await redeemWith(client, withAssertion(assertion)));
  });

  it.each(['RS256', 'PS256', 'EdDSA'])('accepts an assertion signed with %s', async (alg) => {
    const client = await registerKeyClient({}, alg);
    expect((await redeemWith(client, withAssertion(await clientAssertion(client)))).status).toBe(200);
  });

  it('refuses a reused jti (RFC 7523 §3 item 7)', async () => {
    const client = await registerKeyClient();
    const assertion = await clientAssertion(client);
    expect((await redeemWith(client, withAssertion(assertion))).status).toBe(200);
    const replayed = await redeemWith(client, withAssertion(assertion));
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringContaining('jti') });
  });

  it.each<[string, AssertionOptions]>([
    ['a wrong aud', { aud: 'https://other.example/token' }],
    ['an aud array that also names another party (audience injection)', { aud: ['https://other-as.example', issuer] }],
    ['an aud naming another endpoint of ours', { aud: `${issuer}/introspect` }],
    ['an expired assertion', { expiresIn: -60 }],
    ['an exp further ahead than CLIENT_ASSERTION_MAX_AGE (3,600 s)', { expiresIn: 3700 }],
    ['no exp', { omitExp: true }],
    ['sub different from iss', { sub: 'someone-else' }],
  ])('refuses %s', async (_, options) => {
    const client = await registerKeyClient();
    await expectInvalidClient(await redeemWith(client, withAssertion(await clientAssertion(client, options))));
  });

  it('refuses an assertion signed with a key the client did not register', async () => {
    const client = await registerKeyClient();
    const { privateKey } = await generateKeyPair('ES256');
    await expectInvalidClient(await redeemWith(client, withAssertion(await clientAssertion(client, { key: privateKey }))));
  });

  it('refuses an unsigned assertion (alg none)', async () => {
    const client = await registerKeyClient();
    const part = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${part({ alg: 'none' })}.${part({ iss: client.client_id, sub: client.client_id, aud: issuer, exp: now + 60, jti: 'x' })}.`;
    await expectInvalidClient(await redeemWith(client, withAssertion(unsigned)));
  });

  it.each([
    ['a wrong client_assertion_type', { client_assertion_type: 'urn:example:other', client_assertion: 'x.y.z' }],
    ['garbage as the assertion', { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: 'not-a-jwt' }],
    ['a missing assertion', { client_assertion_type: CLIENT_ASSERTION_TYPE }],
  ])('refuses %s with 401 invalid_client, never a 500', async (_, params) => {
    const client = await registerKeyClient();
    await expectInvalidClient(await redeemWith(client, { params }));
  });

  it('refuses a secret-based client presenting an assertion', async () => {
    const keyClient = await registerKeyClient();
    const secretClient = await registerWebClient();
    const assertion = await clientAssertion({ ...keyClient, client_id: secretClient.client_id });
    await expectInvalidClient(await redeemWith(secretClient, withAssertion(assertion)));
  });

  it('answers a redemption with a valid assertion but the wrong code verifier with invalid_grant, not invalid_client', async () => {
    const client = await registerKeyClient();
    const person = await createUser();
    const code = await issueTestCode({ client, person });
    const res = await redeemCode(client, code, { code_verifier: 'y'.repeat(43) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
