// Bad input at the console, signed in and not: sign-in and its callback, the
// People search, a person's page and every action form, with real, forged and
// missing cookies and CSRF tokens. Pages answer errors as HTML; never a 5xx.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { TEST_ISSUER } from '../../support/test-env.ts';
import { CONSOLE_COOKIE as COOKIE, signedInOperator } from '../../support/worker/console.ts';
import { consoleFuzzRequest } from '../../support/worker/console-fuzz.ts';
import { checkProperty, expectSafeAnswer, fuzzTimeout, send } from '../../support/worker/fuzz-harness.ts';
import { formBody, nastyString, uriEncoded } from '../../support/worker/fuzz-inputs.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';

const CI_RUNS = 600;

let consoleCookie: string;
let csrfToken: string;
let personId: string;
let credentialId: string;

beforeAll(async () => {
  ({ cookie: consoleCookie, csrf: csrfToken } = await signedInOperator('/console/people'));
  const target = await enrolPasskey();
  personId = target.person.id;
  credentialId = target.credentialId;
});

const personSegment = () => fc.oneof(fc.constant(personId), nastyString.map(uriEncoded));

const paths = () =>
  fc.oneof(
    fc.constantFrom('/console', '/console/', '/console/people', '/console/signed-out', '/console/login', '/console/callback', '/console/nope', '/console//people'),
    nastyString.map((s) => `/console/people?q=${uriEncoded(s)}`),
    nastyString.map((s) => `/console/login?return_to=${uriEncoded(s)}`),
    fc.record({ code: nastyString, state: nastyString, iss: fc.constantFrom(TEST_ISSUER, 'https://evil.example'), error: fc.constantFrom('', 'access_denied', 'unmet_authentication_requirements') }).map((q) => `/console/callback?${new URLSearchParams(q)}`),
    personSegment().map((id) => `/console/people/${id}`),
    fc.tuple(personSegment(), fc.constantFrom('authenticators/revoke', 'sessions/end', 'unlock', 'invitations', 'x')).map(([id, action]) => `/console/people/${id}/${action}`),
  );

describe('bad input at the operator console', () => {
  it('never answers 5xx or internals, and answers errors as HTML pages', async () => {
    const cases = consoleFuzzRequest({
      path: paths(),
      headers: {
        cookie: fc.constantFrom(undefined, consoleCookie, consoleCookie, `${COOKIE}=v1.AAAAAAAAAAAAAAAA.${'B'.repeat(40)}`, `${COOKIE}=junk`, `${consoleCookie}; ${COOKIE}=again`),
        origin: fc.constantFrom(undefined, 'http://localhost:8787', 'https://evil.example'),
      },
      body: formBody({ csrf_token: [csrfToken, csrfToken, 'x', ''], id: [credentialId, 'x', ''], session: ['ab'.repeat(32), 'x', ''] }),
    });
    await checkProperty(
      fc.asyncProperty(cases, async (request) => {
        expectSafeAnswer(request, await send(request), { shape: 'page' });
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
