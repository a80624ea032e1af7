// Faults (docs/security.md, "Nothing lost on a restart"): `npm start` stopped and started again in the middle of a
// flow, with the same DATA_DIR and port. What was issued before must hold
// after (contract §1): an unredeemed code, the browser's session, refresh and
// access tokens, and the signing keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpBrowser, locationParams } from '../support/http-browser.ts';
import { admin, CORE_USER, enrolPasskey } from '../support/node/contract.ts';
import { startLocalStack, type LocalStack } from '../support/node/local-stack.ts';
import { discover, introspect, registerClient, send, tokenRequest, type ConfidentialClient, type Endpoints } from '../support/node/oauth-calls.ts';
import { authorize, CODE_VERIFIER } from '../support/sign-in.ts';
import { SoftwareAuthenticator } from '../support/webauthn/authenticator.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wi-faults-restart-'));
let stack: LocalStack;
let endpoints: Endpoints;
let client: ConfidentialClient;
let browser: HttpBrowser;
const authenticator = new SoftwareAuthenticator();

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The code a finished authorization brought back to the client, with its state and iss checked. */
function codeFrom(res: Response): string {
  expect(res.status).toBe(302);
  const params = locationParams(res, stack.url);
  expect(params).toMatchObject({ iss: endpoints.issuer, state: expect.any(String) });
  expect(params.error).toBeUndefined();
  return params.code!;
}

function redeem(code: string) {
  return tokenRequest(endpoints, client, { grant_type: 'authorization_code', code, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER });
}

async function verifyIdToken(idToken: string, jwks: JSONWebKeySet) {
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: endpoints.issuer, audience: client.client_id });
  return payload;
}

describe('npm start restarted mid-flow (contract §1; docs/security.md, faults)', () => {
  let before: { access_token: string; refresh_token: string; id_token: string };
  let pendingCode = '';
  let jwksBefore: JSONWebKeySet;
  let subject = '';

  it('signs a person in, redeems one code and holds another unredeemed', async () => {
    stack = await startLocalStack(dataDir);
    endpoints = await discover(stack);
    client = await registerClient(stack, endpoints, {
      client_name: 'faults restart',
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile',
    });
    const person = await admin(stack, '/scim/v2/Users', 'POST', { schemas: [CORE_USER], userName: 'faults.restart', name: { givenName: 'Ria', familyName: 'Restart' } }, 'application/scim+json');
    expect(person.status).toBe(201);
    browser = new HttpBrowser(stack.url);
    await enrolPasskey(stack, browser, person.json.id as string, authenticator);

    const tokens = await redeem(codeFrom(await authorize(browser, client, authenticator, { scope: 'openid profile' })));
    expect(tokens.status).toBe(200);
    before = tokens.json as typeof before;
    expect(before.refresh_token).toEqual(expect.any(String));
    jwksBefore = (await send(endpoints.jwks_uri)).json as JSONWebKeySet;
    subject = (await verifyIdToken(before.id_token, jwksBefore)).sub!;
    // Single sign-on: the session gives a second code with no page shown.
    pendingCode = codeFrom(await authorize(browser, client, authenticator, { prompt: 'none' }));
  });

  it('stops with SIGTERM and starts again on the same DATA_DIR and port', async () => {
    const port = stack.port;
    expect(await stack.stop()).toBe(0);
    stack = await startLocalStack(dataDir, port);
    expect(stack.url).toBe(endpoints.issuer);
    expect((await send(`${stack.url}/healthz`)).status).toBe(200);
  });

  it('publishes the same JWKS, which still verifies the ID token signed before the restart', async () => {
    const jwksAfter = (await send(endpoints.jwks_uri)).json as JSONWebKeySet;
    expect(jwksAfter).toEqual(jwksBefore);
    expect((await verifyIdToken(before.id_token, jwksAfter)).sub).toBe(subject);
  });

  it('redeems the code issued before the restart, once (RFC 6749 §4.1.2)', async () => {
    const tokens = await redeem(pendingCode);
    expect(tokens.status).toBe(200);
    expect((await verifyIdToken(tokens.json.id_token as string, jwksBefore)).sub).toBe(subject);
    const again = await redeem(pendingCode);
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_grant');
  });

  it('introspects the access token issued before the restart as active (RFC 7662 §2.2)', async () => {
    const answer = await introspect(endpoints, client, before.access_token);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ active: true, sub: subject, client_id: client.client_id });
  });

  it('keeps the browser session: prompt=none still returns a code without a sign-in (OIDC Core §3.1.2.1)', async () => {
    const tokens = await redeem(codeFrom(await authorize(browser, client, authenticator, { prompt: 'none' })));
    expect(tokens.status).toBe(200);
    expect((await verifyIdToken(tokens.json.id_token as string, jwksBefore)).sub).toBe(subject);
  });

  it('rotates the refresh token issued before the restart, and still detects its reuse (RFC 6749 §6, RFC 9700 §4.14.2)', async () => {
    const rotated = await tokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: before.refresh_token });
    expect(rotated.status).toBe(200);
    expect(rotated.json.refresh_token).toEqual(expect.any(String));
    expect(rotated.json.refresh_token).not.toBe(before.refresh_token);
    expect((await introspect(endpoints, client, rotated.json.access_token as string)).json.active).toBe(true);

    const reused = await tokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: before.refresh_token });
    expect(reused.status).toBe(400);
    expect(reused.json.error).toBe('invalid_grant');
    // The reuse revoked the grant: the token the rotation issued is dead too.
    expect((await introspect(endpoints, client, rotated.json.access_token as string)).json).toEqual({ active: false });
  });
});
