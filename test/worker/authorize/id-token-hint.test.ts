import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { authorize, authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser, RBAC_USER, type ScimUser } from '../../support/worker/scim.ts';
import { signIn, testPorts } from '../../support/worker/tokens.ts';

const uidOf = (person: ScimUser) => person[RBAC_USER].uid as string;

/** A real ID token of ours for `person`, as the client kept it from an earlier sign-in. */
async function idTokenFor(client: TestClient, person: ScimUser): Promise<string> {
  return (await signIn(client, { person })).id_token!;
}

/** A browser in which `person` has signed in (single sign-on session). */
async function signedInBrowser(client: TestClient) {
  const passkey = await enrolPasskey();
  const browser = new Browser();
  expect(redirectParams(await authorize(browser, client, passkey.authenticator)).code).toBeDefined();
  return { browser, ...passkey };
}

async function ourSignedIdToken(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
  const key = await testPorts().keys.signingKey('RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(expiresAt - 600).setExpirationTime(expiresAt)
    .sign(key.privateKey);
}

describe('id_token_hint at /authorize (OpenID Connect Core §3.1.2.1, contract §6)', () => {
  it("answers prompt=none with login_required when the hint names someone other than the session's person", async () => {
    const client = await registerWebClient();
    const { browser } = await signedInBrowser(client);
    const hint = await idTokenFor(client, await createUser());
    const res = await browser.fetch(authorizePath(client, { prompt: 'none', id_token_hint: hint, state: 'h1' }));
    expect(redirectParams(res)).toMatchObject({ error: 'login_required', state: 'h1', iss: issuer });
    expect(redirectParams(res).code).toBeUndefined();
  });

  it("issues silently when the hint names the session's person", async () => {
    const client = await registerWebClient();
    const { browser, person } = await signedInBrowser(client);
    const hint = await idTokenFor(client, person);
    const res = await browser.fetch(authorizePath(client, { prompt: 'none', id_token_hint: hint }));
    expect(redirectParams(res).code).toBeDefined();
  });

  it('accepts an expired hint of ours: it is a hint, not a credential', async () => {
    const client = await registerWebClient();
    const { browser, person } = await signedInBrowser(client);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const hint = await ourSignedIdToken({ iss: issuer, sub: uidOf(person), aud: client.client_id }, past);
    const res = await browser.fetch(authorizePath(client, { prompt: 'none', id_token_hint: hint }));
    expect(redirectParams(res).code).toBeDefined();
  });

  it('asks a person other than the hinted one to sign in again, and refuses with login_required if the same person signs in', async () => {
    const client = await registerWebClient();
    const { browser, authenticator } = await signedInBrowser(client);
    const hint = await idTokenFor(client, await createUser());
    await browser.navigate(authorizePath(client, { id_token_hint: hint, state: 'h2' }));
    expect(browser.url.pathname).toBe('/signin');
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done)).toMatchObject({ error: 'login_required', state: 'h2' });
  });

  it('issues after the hinted person signs in on a browser where someone else was signed in', async () => {
    const client = await registerWebClient();
    const { browser } = await signedInBrowser(client);
    const hinted = await enrolPasskey();
    const hint = await idTokenFor(client, hinted.person);
    await browser.navigate(authorizePath(client, { id_token_hint: hint }));
    expect(browser.url.pathname).toBe('/signin');
    const done = await signInAndContinue(browser, hinted.authenticator);
    expect(redirectParams(done).code).toBeDefined();
  });

  it.each([
    ['garbage', async () => 'not-a-jwt'],
    ['a token signed by another key', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const key = await testPorts().keys.signingKey('RS256');
      return new SignJWT({ iss: issuer, sub: '555000000001', aud: 'x' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setExpirationTime('5m').sign(privateKey);
    }],
    ['our signature over another issuer', async () => ourSignedIdToken({ iss: 'https://other-op.example', sub: '555000000001', aud: 'x' }, Math.floor(Date.now() / 1000) + 300)],
  ])('answers a hint that is %s with invalid_request at the redirect URI', async (_, hint) => {
    const client = await registerWebClient();
    const res = await new Browser().fetch(authorizePath(client, { id_token_hint: await hint(), state: 'bad' }));
    expect(redirectParams(res)).toMatchObject({ error: 'invalid_request', state: 'bad', iss: issuer });
  });
});
