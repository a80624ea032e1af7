// Bad input at the WebAuthn JSON API (contract §5, §6) and the invitation pages:
// real registration and authentication responses from the software
// authenticator with a field replaced or a byte flipped, invitation codes real,
// spent and forged, sessions real and forged, and the authenticator-app forms.
// The JSON API answers {"error","error_description"}; the pages answer HTML.
import fc from 'fast-check';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { beforeAll, describe, it } from 'vitest';
import { authorizePath } from '../../support/sign-in.ts';
import { enrolPasskey, invite, ORIGIN, registrationOptions } from '../../support/webauthn/enrolment.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { Browser } from '../../support/worker/browser.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { contentType, cookie } from '../../support/worker/fuzz-headers.ts';
import { checkProperty, expectSafeAnswer, fuzzRequest, fuzzTimeout, headerList, send, type Surface } from '../../support/worker/fuzz-harness.ts';
import { base64url, formBody, jsonBody, nastyJson, nastyString, uriEncoded } from '../../support/worker/fuzz-inputs.ts';
import { createUser } from '../../support/worker/scim.ts';

const CI_RUNS = 2000;

let codes: string[] = [];
let registration: RegistrationResponseJSON;
let assertion: AuthenticationResponseJSON;
let sessionCookie: string;
let interactionId: string;

beforeAll(async () => {
  const people = await Promise.all([createUser(), createUser(), createUser()]);
  codes = await Promise.all(people.map(async (p) => (await invite(p.id)).code));
  registration = await new SoftwareAuthenticator().createCredential(await registrationOptions(codes[0]!), { origin: ORIGIN });
  // A browser on the sign-in page with a pending request and a challenge, and an assertion for it.
  const [client, enrolled] = await Promise.all([registerWebClient(), enrolPasskey()]);
  const browser = new Browser();
  await browser.navigate(authorizePath(client));
  interactionId = browser.url.searchParams.get('interaction') ?? 'missing';
  sessionCookie = `session=${browser.cookie('session')!.value}`;
  const options = (await (await browser.postJson('/webauthn/authentication/options', {})).json()) as PublicKeyCredentialRequestOptionsJSON;
  assertion = await enrolled.authenticator.getAssertion(options, { origin: browser.origin });
});

/** A base64url value with one byte changed, cut short, or replaced. */
const mutatedBase64url = (value: string): fc.Arbitrary<string> => {
  const bytes = Uint8Array.from(atob(value.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
  return fc.oneof(
    fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
      const copy = bytes.slice();
      copy[i] = copy[i]! ^ x;
      return base64url(copy);
    }),
    fc.nat(bytes.length).map((n) => base64url(bytes.slice(0, n))),
    fc.uint8Array({ maxLength: 300 }).map(base64url),
    fc.constantFrom('', '====', 'not base64url!', 'A'.repeat(70_000)),
  );
};

/** A real response with one member of it (top level or under `response`) fuzzed. */
function mutatedResponse(real: RegistrationResponseJSON | AuthenticationResponseJSON): fc.Arbitrary<unknown> {
  const inner = real.response as unknown as Record<string, unknown>;
  const innerKeys = Object.keys(inner).filter((k) => typeof inner[k] === 'string');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(real) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(...innerKeys).chain((key) =>
        fc.oneof(mutatedBase64url(inner[key] as string), nastyJson).map((value) => ({ ...real, response: { ...inner, [key]: value } })),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom('id', 'rawId', 'type', 'authenticatorAttachment', 'clientExtensionResults', 'response').chain((key) =>
        fc.oneof(nastyJson, mutatedBase64url(real.id)).map((value) => ({ ...real, [key]: value })),
      ),
    },
  );
}

const code = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...codes) }, { weight: 1, arbitrary: nastyString });
// A path segment for the code: never empty or a dot segment, which would route elsewhere (a JSON 404).
const codeSegment = () => code().map(uriEncoded).filter((s) => s !== '' && s !== '.' && s !== '..');

interface Endpoint {
  surface: Surface;
  methods: string[];
  path: fc.Arbitrary<string>;
  contentType: string;
  body: fc.Arbitrary<string>;
}

const JSON_API: Surface = { shape: 'oauth' };
const PAGE: Surface = { shape: 'page' };

const endpoints = (): Endpoint[] => [
  { surface: JSON_API, methods: ['POST', 'POST', 'GET'], path: fc.constant('/webauthn/registration/options'), contentType: 'application/json', body: jsonBody({ code: code() }) },
  {
    surface: JSON_API,
    methods: ['POST', 'POST', 'PUT'],
    path: fc.constant('/webauthn/registration/verify'),
    contentType: 'application/json',
    body: fc.oneof(
      fc.tuple(code(), mutatedResponse(registration)).map(([c, response]) => JSON.stringify({ code: c, response })),
      jsonBody({ code: code(), response: nastyJson }),
    ),
  },
  { surface: JSON_API, methods: ['POST', 'POST', 'GET'], path: fc.constant('/webauthn/authentication/options'), contentType: 'application/json', body: jsonBody({ interaction: [interactionId, 'x', 1, null] }) },
  {
    surface: JSON_API,
    methods: ['POST', 'POST', 'DELETE'],
    path: fc.constant('/webauthn/authentication/verify'),
    contentType: 'application/json',
    body: fc.oneof(mutatedResponse(assertion).map((a) => JSON.stringify(a)), jsonBody({ id: [assertion.id], rawId: [assertion.rawId], type: ['public-key'], response: nastyJson })),
  },
  { surface: PAGE, methods: ['GET', 'GET', 'HEAD', 'POST'], path: codeSegment().map((c) => `/enrol/${c}`), contentType: 'text/html', body: fc.constant('') },
  {
    surface: PAGE,
    methods: ['POST', 'POST', 'GET'],
    path: fc.tuple(codeSegment(), fc.constantFrom('authenticator-app', 'finish')).map(([c, action]) => `/enrol/${c}/${action}`),
    contentType: 'application/x-www-form-urlencoded',
    body: formBody({ csrf_token: ['x', ''], totp_code: ['123456', '000000', 'abcdef', '1'.repeat(40)] }),
  },
];

const cases = () =>
  fc.oneof(
    ...endpoints().map((endpoint) =>
      fuzzRequest({
        method: fc.constantFrom(...endpoint.methods),
        path: endpoint.path,
        headers: fc
          .record({
            'content-type': contentType(endpoint.contentType),
            origin: fc.oneof({ weight: 4, arbitrary: fc.constant(ORIGIN) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'https://evil.example', 'null', `${ORIGIN}.evil.example`) }),
            cookie: cookie([sessionCookie]),
          })
          .map(headerList),
        body: endpoint.body,
      }).map((request) => ({ request, surface: endpoint.surface })),
    ),
  );

describe('bad input at the WebAuthn API and the invitation pages', () => {
  it('never answers 5xx or internals; the API answers RFC 6749-shaped JSON and the pages HTML', async () => {
    await checkProperty(
      fc.asyncProperty(cases(), async ({ request, surface }) => {
        expectSafeAnswer(request, await send(request), surface);
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
