// Pushed authorization requests (RFC 9126) through the Worker: the endpoint,
// the request_uri at /authorize (single use, bound to the client), clients and
// services that require PAR, and the Durable Object that makes a take exactly-once.
import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { postForm } from '../../support/worker/tokens.ts';
import { call, issuer } from '../../support/worker/requests.ts';
import { authorizePath, CODE_CHALLENGE, followAuthorization } from '../../support/sign-in.ts';

function requestParams(client: TestClient, extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid',
    state: 'par-state',
    nonce: 'par-nonce',
    code_challenge: CODE_CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  };
}

async function push(client: TestClient, extra: Record<string, string> = {}): Promise<string> {
  const res = await postForm('/par', requestParams(client, extra), client);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { request_uri: string; expires_in: number };
  return body.request_uri;
}

const byReference = (client: TestClient, requestUri: string) =>
  `/authorize?${new URLSearchParams({ client_id: client.client_id, request_uri: requestUri })}`;

describe('the pushed authorization request endpoint (RFC 9126 §2)', () => {
  it('answers 201 with a request_uri URN and expires_in, not cached (RFC 9126 §2.2)', async () => {
    const client = await registerWebClient();
    const res = await postForm('/par', requestParams(client), client);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/), expires_in: 60 });
  });

  it('requires client authentication (RFC 9126 §2: as at the token endpoint)', async () => {
    const client = await registerWebClient();
    const res = await postForm('/par', { ...requestParams(client), client_id: client.client_id }, null);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: 'openid no_such_scope' }, 'invalid_scope'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ redirect_uri: 'https://evil.example/cb' }, 'invalid_request'],
    [{ request_uri: 'urn:ietf:params:oauth:request_uri:abc' }, 'invalid_request'],
    [{ request: 'e30.e30.' }, 'request_not_supported'],
    [{ dpop_jkt: 'not-a-thumbprint' }, 'invalid_request'],
  ])('validates as /authorize does and answers %j with 400 %s (RFC 9126 §2.1, §2.3)', async (extra, error) => {
    const client = await registerWebClient();
    const res = await postForm('/par', requestParams(client, extra), client);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error });
  });

  it('answers 405 for GET', async () => {
    expect((await call('/par')).status).toBe(405);
  });
});

describe('request_uri at the authorization endpoint (RFC 9126 §4)', () => {
  it('runs the pushed request: the code comes back with the pushed state and iss', async () => {
    const client = await registerWebClient();
    const { authenticator } = await enrolPasskey();
    const requestUri = await push(client);
    const done = await followAuthorization(new Browser(), byReference(client, requestUri), authenticator);
    expect(done.status).toBe(302);
    expect(redirectParams(done)).toEqual({ code: expect.any(String), state: 'par-state', iss: issuer });
  });

  it('is single use: the second use shows an error page, not a code (RFC 9126 §4)', async () => {
    const client = await registerWebClient();
    const { authenticator } = await enrolPasskey();
    const requestUri = await push(client);
    await followAuthorization(new Browser(), byReference(client, requestUri), authenticator);
    const again = await new Browser().fetch(byReference(client, requestUri));
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect(await again.text()).toMatch(/request_uri/);
  });

  it('lets exactly one of two simultaneous uses of one request_uri through (RFC 9126 §4)', async () => {
    const client = await registerWebClient();
    const requestUri = await push(client);
    const [a, b] = await Promise.all([new Browser().fetch(byReference(client, requestUri)), new Browser().fetch(byReference(client, requestUri))]);
    const statuses = [a.status, b.status].sort();
    // The winner goes on to sign in (303); the loser gets the error page.
    expect(statuses).toEqual([303, 400]);
  });

  it('refuses a request_uri pushed by another client and leaves it for its owner (RFC 9126 §4)', async () => {
    const owner = await registerWebClient();
    const other = await registerWebClient();
    const requestUri = await push(owner);
    const stolen = await new Browser().fetch(byReference(other, requestUri));
    expect(stolen.status).toBe(400);
    expect((await new Browser().fetch(byReference(owner, requestUri))).status).toBe(303);
  });

  it('refuses an unknown request_uri with a page', async () => {
    const client = await registerWebClient();
    const res = await new Browser().fetch(byReference(client, 'urn:ietf:params:oauth:request_uri:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('refuses a plain request from a client registered with require_pushed_authorization_requests (RFC 9126 §5)', async () => {
    const client = await registerWebClient({ require_pushed_authorization_requests: true });
    const plain = await new Browser().fetch(authorizePath(client, { state: 's-1' }));
    expect(plain.status).toBe(302);
    expect(redirectParams(plain)).toMatchObject({ error: 'invalid_request', state: 's-1', iss: issuer });
    const requestUri = await push(client);
    expect((await new Browser().fetch(byReference(client, requestUri))).status).toBe(303);
  });
});
