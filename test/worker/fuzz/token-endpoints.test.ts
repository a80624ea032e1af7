// Bad input at the endpoints where clients authenticate: token (RFC 6749 §3.2),
// introspection (RFC 7662) and revocation (RFC 7009). Forms are fuzzed around
// real credentials (Basic, client_secret_post, freshly signed client assertions
// with hostile claims, public clients) and real tokens, so cases reach the grants.
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { beforeAll, describe, it } from 'vitest';
import {
  basicAuthorization,
  CLIENT_ASSERTION_TYPE,
  REDIRECT_URI,
  registerKeyClient,
  registerWebClient,
  type TestClient,
} from '../../support/worker/client-auth.ts';
import { authorization, contentType, forgedHandle, headerSafe } from '../../support/worker/fuzz-headers.ts';
import { checkProperty, expectSafeAnswer, fuzzRequest, fuzzTimeout, headerList, send, type FuzzRequest } from '../../support/worker/fuzz-harness.ts';
import { formBody, jwtClaims, jwtLike } from '../../support/worker/fuzz-inputs.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { issueTestCode, signIn } from '../../support/worker/tokens.ts';

const CI_RUNS = 2000;

let basic: TestClient;
let post: TestClient;
let keyed: TestClient;
let publicClient: TestClient;
let tokens: string[];
let codes: string[];

beforeAll(async () => {
  const grants = { grant_types: ['authorization_code', 'refresh_token', 'client_credentials'] };
  [basic, post, keyed, publicClient] = await Promise.all([
    registerWebClient(grants),
    registerWebClient({ ...grants, token_endpoint_auth_method: 'client_secret_post' }),
    registerKeyClient(grants),
    registerWebClient({ token_endpoint_auth_method: 'none' }),
  ]);
  const person = await createUser();
  const signedIn = await signIn(basic, { person, scope: ['openid', 'profile'] });
  tokens = [signedIn.access_token, signedIn.refresh_token!, signedIn.id_token!];
  codes = await Promise.all([basic, post, publicClient].map(async (client) => (await issueTestCode({ client, person })).code));
});

/** How the case authenticates: a client's real credentials, a signed assertion with fuzzed claims, or nothing valid. */
type ClientAuth =
  | { kind: 'basic' | 'post' | 'public'; clientIndex: number }
  | { kind: 'assertion'; claims: Record<string, unknown>; kid: string | null; typ: string | null };

const clientAuth: fc.Arbitrary<ClientAuth> = fc.oneof(
  fc.record({ kind: fc.constantFrom('basic', 'post', 'public' as const), clientIndex: fc.nat(3) }),
  fc.record({
    kind: fc.constant('assertion' as const),
    claims: fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 3, arbitrary: jwtClaims }),
    kid: fc.constantFrom(null, 'unknown-kid'),
    typ: fc.constantFrom(null, 'JWT', 'at+jwt', 'client-authentication+jwt'),
  }),
);

const clients = () => [basic, post, keyed, publicClient];

/** The header and form parameters `auth` adds to a request. */
async function credentials(auth: ClientAuth, endpoint: string): Promise<{ authorization?: string; params: Record<string, string> }> {
  if (auth.kind !== 'assertion') {
    const client = clients()[auth.clientIndex]!;
    if (auth.kind === 'basic') return { authorization: basicAuthorization(client.client_id, client.client_secret ?? 'x'), params: {} };
    if (auth.kind === 'post') return { params: { client_id: client.client_id, client_secret: client.client_secret ?? 'x' } };
    return { params: { client_id: client.client_id } };
  }
  const client = keyed;
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: client.client_id, sub: client.client_id, aud: `${issuer}${endpoint}`, jti: crypto.randomUUID(), iat: now, exp: now + 60, ...auth.claims };
  const key = client.signingKey!;
  const header = { alg: key.alg, kid: auth.kid ?? key.kid, ...(auth.typ ? { typ: auth.typ } : {}) };
  const assertion = await new SignJWT(claims as never).setProtectedHeader(header).sign(key.privateKey);
  return { params: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion } };
}

const realToken = fc.nat().map((i) => tokens[i % tokens.length]!);
const realCode = fc.nat().map((i) => codes[i % codes.length]!);

const form = formBody({
  grant_type: ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'password'],
  code: fc.oneof(realCode, forgedHandle),
  redirect_uri: [REDIRECT_URI, 'https://evil.example/callback', `${REDIRECT_URI}?x=1`],
  code_verifier: ['x'.repeat(43), 'a'.repeat(129)],
  refresh_token: fc.oneof(realToken, forgedHandle),
  scope: ['openid', 'openid profile', 'pds:read', 'openid  profile', 'openid openid'],
  token: fc.oneof(realToken, forgedHandle, jwtLike),
  token_type_hint: ['access_token', 'refresh_token', 'id_token'],
  client_id: fc.nat().map((i) => clients()[i % 4]!.client_id),
  client_secret: ['wrong'],
  client_assertion_type: [CLIENT_ASSERTION_TYPE],
  client_assertion: jwtLike,
  resource: ['https://rp.example.com/'],
});

const FORM = 'application/x-www-form-urlencoded';

// A body each of the three endpoints accepts from a client registered for client_credentials
// (each ignores the other's parameter), so cases that keep it reach the grant and the token checks.
const validBody = fc.oneof(realToken, forgedHandle, jwtLike).map((token) => new URLSearchParams({ grant_type: 'client_credentials', token }).toString());

const cases = fc.record({
  // Some requests carry credentials as generated; the rest add a real client's.
  request: fuzzRequest({
    method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD') }),
    path: fc.constantFrom('/token', '/introspect', '/revoke'),
    headers: fc.record({ 'content-type': contentType(FORM), authorization: authorization([]) }).map(headerList),
    body: fc.oneof(form, validBody),
  }),
  auth: fc.option(clientAuth, { freq: 3, nil: null }),
});

async function withCredentials(req: FuzzRequest, auth: ClientAuth | null): Promise<FuzzRequest> {
  if (!auth) return req;
  const added = await credentials(auth, req.path);
  // The case authenticates as `auth` says; a generated Authorization header stays only on cases without it.
  const headers = req.headers.filter(([n]) => n !== 'authorization');
  if (added.authorization) headers.push(['authorization', headerSafe(added.authorization)]);
  const params = new URLSearchParams(added.params).toString();
  return { ...req, headers, body: req.body === undefined ? undefined : [req.body, params].filter(Boolean).join('&') };
}

describe('bad input at the token, introspection and revocation endpoints', () => {
  it('never answers 5xx or internals, and always invalid_client with its challenge on 401 (RFC 6749 §5.2)', async () => {
    await checkProperty(
      fc.asyncProperty(cases, async ({ request, auth }) => {
        const req = await withCredentials(request, auth);
        expectSafeAnswer(req, await send(req), { shape: 'oauth', challenge: 'client' });
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
