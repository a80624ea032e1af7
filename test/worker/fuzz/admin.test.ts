// Bad input at the operator's endpoints: client registration and its
// configuration endpoint (RFC 7591, RFC 7592) with hostile metadata and
// registration access tokens, enrolment invitations, unlocking, audit queries
// and key rotation. Errors are RFC 6749-shaped JSON; 401 carries a Bearer challenge.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { registerClient, type RegisteredClient } from '../../support/worker/clients.ts';
import { authorization, contentType } from '../../support/worker/fuzz-headers.ts';
import { checkProperty, expectSafeAnswer, fuzzRequest, fuzzTimeout, headerList, send } from '../../support/worker/fuzz-harness.ts';
import { jsonBody, nastyJson, nastyString, shapedObject, uriEncoded } from '../../support/worker/fuzz-inputs.ts';
import { createUser } from '../../support/worker/scim.ts';
import { TEST_ADMIN_TOKEN } from '../../support/test-env.ts';

const CI_RUNS = 1500;

let clients: RegisteredClient[] = [];
let personIds: string[] = [];

beforeAll(async () => {
  clients = await Promise.all([registerClient(), registerClient({ client_name: 'Fuzz CC', grant_types: ['client_credentials'], scope: 'fuzz:read' })]);
  personIds = (await Promise.all([createUser(), createUser()])).map((p) => p.id);
});

const jwk = shapedObject({ kty: ['EC', 'RSA', 'OKP', 'oct', ''], crv: ['P-256', 'Ed25519', 'x'], x: ['AA', ''], y: ['AA'], n: ['AQAB'], e: ['AQAB'], d: ['secret'], k: ['c2VjcmV0'], kid: ['k1', ''], alg: ['ES256', 'HS256', 'none'], use: ['sig', 'enc'] });

const metadata = {
  redirect_uris: [['https://rp.example.com/callback'], ['http://127.0.0.1:9/cb'], ['http://evil.example/cb'], ['https://rp.example.com/cb#frag'], ['com.example.app:/cb'], ['javascript:alert(1)'], [], 'https://rp.example.com/cb', Array.from({ length: 200 }, (_, i) => `https://rp.example.com/${i}`)],
  post_logout_redirect_uris: [['https://rp.example.com/bye'], ['data:text/html,x']],
  grant_types: [['authorization_code'], ['client_credentials'], ['refresh_token'], ['implicit'], ['password'], ['urn:ietf:params:oauth:grant-type:device_code'], []],
  response_types: [['code'], ['token'], ['code id_token'], []],
  token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none', 'tls_client_auth', 'client_secret_jwt'],
  jwks: fc.oneof(fc.record({ keys: fc.array(jwk, { maxLength: 3 }) }), nastyJson),
  jwks_uri: ['https://rp.example.com/jwks.json', 'http://127.0.0.1/jwks', 'https://10.0.0.1/jwks', 'https://[::1]/jwks', 'file:///etc/passwd'],
  scope: ['openid profile', 'fuzz:read', '', 'a\u0000b', 'x'.repeat(2000)],
  client_name: ['Fuzz client', '', '<x-fuzz-probe>'],
  backchannel_logout_uri: ['https://rp.example.com/bcl', 'http://127.0.0.1:1/bcl', 'https://169.254.169.254/latest', 'https://localhost/bcl', 'https://rp.example.com/bcl#x'],
  backchannel_logout_session_required: [true, false, 'true'],
  dpop_bound_access_tokens: [true, false],
  default_acr_values: [['AAL3_ANY'], ['AAL9'], 'AAL3_ANY'],
  id_token_signed_response_alg: ['RS256', 'ES256', 'PS256', 'EdDSA', 'none', 'HS256'],
  require_pushed_authorization_requests: [true, false],
  client_id: ['chosen-by-client'],
  client_secret: ['chosen-by-client'],
  software_statement: ['a.b.c'],
};

// Metadata that registers as it is; a case changes a field or two of it, so many cases get past validation.
const validMetadata = {
  client_name: 'Fuzz client',
  redirect_uris: ['https://rp.example.com/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
};
const nearlyValid = fc
  .tuple(shapedObject(metadata), fc.nat(3))
  .map(([fuzzed, keep]) => JSON.stringify({ ...validMetadata, ...Object.fromEntries(Object.entries(fuzzed).slice(0, keep)) }));
const registrationBody = fc.oneof({ weight: 2, arbitrary: jsonBody(metadata) }, { weight: 1, arbitrary: nearlyValid });

/** A client's configuration endpoint (RFC 7592), mostly with that client's own registration access token among the valid ones. */
const configurationCase = () =>
  fc.nat(clients.length - 1).chain((i) => {
    const client = clients[i]!;
    return fuzzRequest({
      // DELETE is rare: each one removes a client the later cases then meet as unknown.
      method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('GET', 'PUT') }, { weight: 1, arbitrary: fc.constantFrom('DELETE', 'POST', 'PATCH') }),
      path: fc.oneof({ weight: 6, arbitrary: fc.constant(`/register/${client.client_id}`) }, { weight: 1, arbitrary: nastyString.map((s) => `/register/${uriEncoded(s)}`) }),
      headers: fc
        .record({ 'content-type': contentType('application/json'), authorization: authorization([`Bearer ${client.registration_access_token}`, ...bearers()]) })
        .map(headerList),
      body: fc.oneof(registrationBody, fc.constant(JSON.stringify({ ...validMetadata, client_id: client.client_id }))),
    });
  });

const auditQuery = fc
  .record(
    {
      person: fc.oneof(fc.nat().map((i) => personIds[i % personIds.length]!), nastyString),
      client: nastyString,
      action: fc.constantFrom('signin', 'person.locked', 'x'),
      outcome: fc.constantFrom('success', 'failure', 'maybe'),
      since: fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday', '0', '-1', '99999-01-01', ''),
      until: fc.constantFrom('2099-01-01T00:00:00Z', '1970-01-01', 'x'),
      limit: fc.constantFrom('1', '200', '201', '0', '-5', 'x', '1e3'),
      cursor: fc.oneof(fc.constantFrom('YTE6MQ', 'YTE6LTE', 'YTE6eA', '!!', '', 'x'.repeat(500)), nastyString),
    },
    { requiredKeys: [] },
  )
  .map((q) => new URLSearchParams(q as Record<string, string>).toString());

const personPath = fc.oneof(fc.nat().map((i) => personIds[i % personIds.length]!), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'x', '..'), nastyString.map(uriEncoded));

const adminPath = fc.oneof(
  { weight: 3, arbitrary: personPath.map((id) => `/admin/users/${id}/enrolments`) },
  { weight: 2, arbitrary: personPath.map((id) => `/admin/users/${id}/unlock`) },
  { weight: 3, arbitrary: auditQuery.map((q) => `/admin/audit?${q}`) },
  { weight: 1, arbitrary: fc.constantFrom('/admin/keys/rotate', '/admin/keys/rotate?alg=PS256', '/admin/keys', '/admin/users', '/admin/') },
);

// The token each request may carry: the operator's, a client's registration access token, or junk.
const bearers = () => [`Bearer ${TEST_ADMIN_TOKEN}`, ...clients.map((c) => `Bearer ${c.registration_access_token}`)];

const cases = () =>
  fc.oneof(
    fuzzRequest({
      method: fc.oneof({ weight: 6, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH') }),
      path: fc.constant('/register'),
      headers: fc.record({ 'content-type': contentType('application/json'), authorization: authorization([`Bearer ${TEST_ADMIN_TOKEN}`]) }).map(headerList),
      body: registrationBody,
    }),
    configurationCase(),
    fuzzRequest({
      // Key rotation is rare among the cases: each one is a real rotation the rest must survive.
      method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('POST', 'GET') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'HEAD') }),
      path: adminPath,
      headers: fc.record({ 'content-type': contentType('application/json'), authorization: authorization(bearers()) }).map(headerList),
      body: fc.oneof(jsonBody({ expires_in: [60, 59, 86400, 2_592_001, 1.5, '3600', null], reason: ['x'] }), fc.constant('')),
    }),
  );

describe('bad input at client registration and the admin API', () => {
  it('never answers 5xx or internals; errors are RFC 6749 JSON, 401 with a Bearer challenge (RFC 6750 §3)', async () => {
    await checkProperty(
      fc.asyncProperty(cases(), async (req) => {
        expectSafeAnswer(req, await send(req), { shape: 'oauth', challenge: 'bearer' });
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
