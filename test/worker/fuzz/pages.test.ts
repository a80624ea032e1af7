// Bad input at the browser-facing endpoints and the rest of discovery: the
// authorization endpoint (before and after the client is trusted), the sign-in,
// password, role-choice and logout pages with real and forged sessions and CSRF
// tokens, userinfo's Bearer token, and discovery, JWKS, health, assets and paths
// that do not exist. Pages answer errors as HTML; redirects carry a Location.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { authorizePath, CODE_CHALLENGE } from '../../support/sign-in.ts';
import { Browser } from '../../support/worker/browser.ts';
import { REDIRECT_URI, registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { authorization, contentType, cookie, forgedHandle } from '../../support/worker/fuzz-headers.ts';
import { checkProperty, expectSafeAnswer, fuzzRequest, fuzzTimeout, headerList, send, type Surface } from '../../support/worker/fuzz-harness.ts';
import { formBody, jwtLike, nastyString, uriEncoded } from '../../support/worker/fuzz-inputs.ts';
import { createUser } from '../../support/worker/scim.ts';
import { signIn } from '../../support/worker/tokens.ts';

const CI_RUNS = 2500;
const FORM = 'application/x-www-form-urlencoded';

let client: TestClient;
let sessionCookie: string;
let csrfToken: string;
let interactionId: string;
let accessToken: string;
let idToken: string;

beforeAll(async () => {
  client = await registerWebClient();
  // A browser part way through signing in: a session cookie, its CSRF token and a pending interaction.
  const browser = new Browser();
  const page = await browser.navigate(authorizePath(client));
  const html = await page.text();
  sessionCookie = `session=${browser.cookie('session')!.value}`;
  csrfToken = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? 'missing';
  interactionId = browser.url.searchParams.get('interaction') ?? 'missing';
  const tokens = await signIn(client, { person: await createUser(), scope: ['openid', 'profile', 'nationalrbacaccess'] });
  accessToken = tokens.access_token;
  idToken = tokens.id_token!;
});

const scopes = ['openid', 'openid profile email', 'openid selectedrole nationalrbacaccess', 'profile', 'openid offline_access', 'openid  x'];
const acr = ['AAL3_ANY', 'AAL2_OR_AAL3_ANY', 'AAL1_USERPASS', 'AAL9', 'AAL3_ANY AAL2_ANY'];

/** Authorization request parameters around the registered client, so cases reach past the client checks. */
const authorizeParams = () =>
  fc
    .record(
      {
        response_type: fc.constantFrom('code', 'token', 'code id_token', '', 'none'),
        client_id: fc.oneof(fc.constant(client.client_id), nastyString),
        redirect_uri: fc.constantFrom(REDIRECT_URI, `${REDIRECT_URI}/x`, 'https://evil.example/cb', 'javascript:alert(1)', ''),
        scope: fc.constantFrom(...scopes),
        state: fc.oneof(fc.constant('s'), nastyString),
        nonce: nastyString,
        code_challenge: fc.constantFrom(CODE_CHALLENGE, 'short', 'x'.repeat(129), ''),
        code_challenge_method: fc.constantFrom('S256', 'plain', 's256', ''),
        prompt: fc.constantFrom('none', 'login', 'consent', 'select_account', 'none login', ''),
        max_age: fc.constantFrom('0', '300', '-1', '1e9', 'abc', '99999999999999999999'),
        acr_values: fc.constantFrom(...acr),
        claims: fc.constantFrom('{"id_token":{"acr":{"essential":true,"values":["AAL3_ANY"]}}}', '{"id_token":{"acr":null}}', '{', '[]', `${'{"a":'.repeat(50)}1${'}'.repeat(50)}`),
        login_hint: nastyString,
        response_mode: fc.constantFrom('query', 'form_post', 'fragment', 'jwt', ''),
        request: jwtLike,
        request_uri: fc.constantFrom('urn:ietf:params:oauth:request_uri:x', 'https://evil.example/r'),
        id_token_hint: fc.oneof(fc.constant(idToken), jwtLike),
      },
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());

interface Endpoint {
  surface: Surface;
  methods: string[];
  path: fc.Arbitrary<string>;
  contentType?: string;
  body?: fc.Arbitrary<string>;
}

const endpoints = (): Endpoint[] => [
  { surface: { shape: 'page' }, methods: ['GET', 'GET', 'POST', 'PUT'], path: authorizeParams().map((q) => `/authorize?${q}`), contentType: FORM, body: authorizeParams() },
  { surface: { shape: 'page' }, methods: ['GET', 'DELETE'], path: fc.oneof(fc.constant(interactionId), nastyString.map(uriEncoded)).map((i) => `/authorize/resume?interaction=${i}`) },
  { surface: { shape: 'page' }, methods: ['GET', 'POST'], path: fc.oneof(fc.constant(interactionId), nastyString.map(uriEncoded)).map((i) => `/signin?interaction=${i}`) },
  {
    surface: { shape: 'page' },
    methods: ['POST', 'POST', 'GET'],
    path: fc.constant('/signin/password'),
    contentType: FORM,
    body: formBody({
      csrf_token: [csrfToken, 'x', ''],
      interaction: [interactionId, 'x', ''],
      username: ['fuzz.user', 'a'.repeat(300), ''],
      password: ['correct horse battery staple', 'x'.repeat(1100), ''],
      totp_code: ['123456', '000000', 'abcdef', '1'.repeat(40)],
    }),
  },
  {
    surface: { shape: 'page' },
    methods: ['GET', 'POST', 'POST'],
    path: fc.oneof(fc.constant(interactionId), nastyString.map(uriEncoded)).map((i) => `/select-role?interaction=${i}`),
    contentType: FORM,
    body: formBody({ csrf_token: [csrfToken, 'x'], interaction: [interactionId], role: ['x', '', '00000000-0000-0000-0000-000000000000'] }),
  },
  {
    surface: { shape: 'page' },
    methods: ['GET', 'POST', 'PATCH'],
    path: fc
      .record({ id_token_hint: fc.oneof(fc.constant(idToken), jwtLike), post_logout_redirect_uri: fc.constantFrom(REDIRECT_URI, 'https://evil.example/'), state: nastyString, client_id: fc.constantFrom(client.client_id, 'x'), ui_locales: fc.constant('en') }, { requiredKeys: [] })
      .map((q) => `/logout?${new URLSearchParams(q as Record<string, string>)}`),
    contentType: FORM,
    body: formBody({ csrf_token: [csrfToken, 'x'], confirm: ['yes', 'no'], id_token_hint: jwtLike, post_logout_redirect_uri: [REDIRECT_URI], state: ['s'], client_id: [client.client_id] }),
  },
  { surface: { shape: 'page' }, methods: ['GET', 'POST'], path: fc.constant('/signed-in') },
  {
    surface: { shape: 'oauth', challenge: 'bearer' },
    methods: ['GET', 'POST', 'POST', 'PUT'],
    path: fc.constant('/userinfo'),
    contentType: FORM,
    body: formBody({ access_token: fc.oneof(fc.constant(accessToken), jwtLike, forgedHandle), scope: ['openid'] }),
  },
  {
    surface: { shape: 'oauth' },
    methods: ['GET', 'GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
    path: fc.oneof(
      fc.constantFrom(
        '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks.json', '/healthz', '/assets/x', '/assets/../../etc/passwd',
        '/assets/%2e%2e/%2e%2e/wrangler.toml', '/.well-known/', '/', '/favicon.ico', '/register/', '/admin', '/scim', '//authorize', '/authorize/',
      ),
      nastyString.map((s) => `/${uriEncoded(s)}`),
      nastyString.map((s) => `/.well-known/openid-configuration?${uriEncoded(s)}`),
    ),
  },
];

const endpointCase = (endpoint: Endpoint) =>
  fuzzRequest({
    method: fc.constantFrom(...endpoint.methods),
    path: endpoint.path,
    headers: fc
      .record({
        'content-type': contentType(endpoint.contentType ?? 'application/json'),
        authorization: authorization([`Bearer ${accessToken}`]),
        cookie: cookie([sessionCookie]),
        origin: fc.constantFrom(undefined, 'http://localhost:8787', 'https://evil.example', 'null'),
        'sec-fetch-site': fc.constantFrom(undefined, 'same-origin', 'cross-site', 'none'),
      })
      .map(headerList),
    body: endpoint.body ?? fc.oneof(fc.constant(''), nastyString),
  }).map((request) => ({ request, surface: endpoint.surface }));

describe('bad input at the pages, the authorization endpoint, userinfo and discovery', () => {
  it('never answers 5xx or internals; pages answer errors as HTML, APIs in their RFC shape', async () => {
    const cases = fc.oneof(...endpoints().map(endpointCase));
    await checkProperty(
      fc.asyncProperty(cases, async ({ request, surface }) => {
        expectSafeAnswer(request, await send(request), surface);
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
