// Bad input at the console's applications, signing keys, audit and overview
// pages, signed in with real, forged and missing CSRF tokens: hostile path
// segments, registration forms, audit filters and cursors. Errors are HTML
// pages (405, 413 and 429 keep the service's JSON); never a 5xx or internals.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { CONSOLE_COOKIE as COOKIE, signedInOperator } from '../../support/worker/console.ts';
import { consoleFuzzRequest } from '../../support/worker/console-fuzz.ts';
import { checkProperty, expectSafeAnswer, fuzzTimeout, send } from '../../support/worker/fuzz-harness.ts';
import { formBody, nastyString, uriEncoded } from '../../support/worker/fuzz-inputs.ts';

const CI_RUNS = 300;

let consoleCookie: string;
let csrfToken: string;
let clientId: string;

beforeAll(async () => {
  ({ cookie: consoleCookie, csrf: csrfToken } = await signedInOperator('/console/applications'));
  clientId = (await registerWebClient({ client_name: 'Fuzzed RP' })).client_id;
});

const clientSegment = () => fc.oneof(fc.constant(clientId), fc.constant('operator-console'), nastyString.map(uriEncoded));
const auditQuery = () =>
  fc
    .dictionary(fc.constantFrom('person', 'client', 'action', 'outcome', 'since', 'until', 'limit', 'cursor', 'x'), nastyString, { maxKeys: 4 })
    .map((q) => Object.entries(q).map(([k, v]) => `${k}=${uriEncoded(v)}`).join('&'));

// Key rotation is left out: each one makes four key pairs, and its refusals are the guard's, fuzzed in console-fuzz.test.ts.
const paths = () =>
  fc.oneof(
    fc.constantFrom('/console/applications', '/console/applications/', '/console/applications/new', '/console/keys', '/console/overview', '/console/audit'),
    clientSegment().map((id) => `/console/applications/${id}`),
    fc.tuple(clientSegment(), fc.constantFrom('rotate-secret', 'delete', 'x')).map(([id, action]) => `/console/applications/${id}/${action}`),
    auditQuery().map((q) => `/console/audit?${q}`),
    auditQuery().map((q) => `/console/audit/export?action=none.such&${q}`),
  );

describe('bad input at the console applications, keys, audit and overview pages', () => {
  it('never answers 5xx or internals, and answers errors as HTML pages', async () => {
    const cases = consoleFuzzRequest({
      path: paths(),
      headers: {
        cookie: fc.constantFrom(undefined, consoleCookie, consoleCookie, consoleCookie, `${COOKIE}=junk`),
      },
      body: formBody({
        csrf_token: [csrfToken, csrfToken, 'x', ''],
        client_name: ['Fuzz app', ''],
        redirect_uris: ['https://rp.example.com/cb', 'http://evil.example/cb', ''],
        grant_types: ['authorization_code', 'client_credentials', 'refresh_token', 'x'],
        token_endpoint_auth_method: ['client_secret_basic', 'none', 'private_key_jwt', 'x'],
        require_pkce: ['yes', 'no', 'x'],
        scope: ['openid', 'openid "x"', ''],
        jwks_uri: ['https://rp.example.com/jwks', 'http://127.0.0.1/jwks', ''],
      }),
    });
    await checkProperty(
      fc.asyncProperty(cases, async (request) => {
        const answer = await send(request);
        // A refused form's <title> starts "Error: " (NHS service manual, error summary), which the
        // harness would take for a leaked exception: that one prefix is set aside, nothing else.
        expectSafeAnswer(request, { ...answer, body: answer.body.replace(/^(<!doctype html><html lang="en-GB"><head>.*?<title>)Error: /, '$1') }, { shape: 'page' });
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
