// Faults (docs/security.md, "Nothing lost on a restart or eviction"): a Durable Object
// evicted from memory and re-created keeps its state. Each test evicts every
// object mid-flow (../../support/worker/eviction.ts) and shows the session, the
// grants in it and the keys object carry on from storage as if nothing had happened.
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { createKeyStore, keysObject, KEYS_OBJECT_NAME } from '../../../workers/key-store.ts';
import { authorizePath, CODE_VERIFIER } from '../../support/sign-in.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, isRedirect, redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { alarmOf, evict } from '../../support/worker/eviction.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, issueTestCode, postForm, redeemCode, refresh, signIn, workerEnv, type TokenSet } from '../../support/worker/tokens.ts';

const { SESSIONS, KEYS } = workerEnv;

async function expectRefused(res: Response) {
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
}

async function tokensFrom(res: Response): Promise<TokenSet> {
  expect(res.status).toBe(200);
  return (await res.json()) as TokenSet;
}

function redeemBrowserCode(client: TestClient, done: Response): Promise<Response> {
  expect(isRedirect(done)).toBe(true);
  const { code } = redirectParams(done);
  return postForm('/token', { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER }, client);
}

describe('Durable Objects evicted from memory keep their state (docs/security.md, faults)', () => {
  it('a session: a passkey sign-in started before the eviction completes after it, and single sign-on still works after another', async () => {
    const [client, enrolled] = await Promise.all([registerWebClient(), enrolPasskey()]);
    const browser = new Browser();
    await browser.navigate(authorizePath(client));
    expect(browser.url.pathname).toBe('/signin');
    // The pending authorization request and the WebAuthn challenge now live in the session object.
    const optionsRes = await browser.postJson('/webauthn/authentication/options', {});
    const options = (await optionsRes.json()) as PublicKeyCredentialRequestOptionsJSON;
    const sessionId = SESSIONS.idFromString(browser.cookie('session')!.value.split('.')[0]!);

    await evict(SESSIONS, sessionId);
    const verified = await browser.postJson('/webauthn/authentication/verify', await enrolled.authenticator.getAssertion(options, { origin: browser.origin }));
    expect(verified.status).toBe(200);
    const { redirect_to } = (await verified.json()) as { redirect_to: string };
    const first = await tokensFrom(await redeemBrowserCode(client, await browser.navigate(redirect_to)));
    const { payload } = await jwtVerify(first.id_token!, createLocalJWKSet(await (await browser.fetch('/jwks.json')).json()), { issuer, audience: client.client_id });

    await evict(SESSIONS, sessionId);
    // Contract §6: the same browser gets a code with no page, for the same session (sid).
    const again = await tokensFrom(await redeemBrowserCode(client, await browser.fetch(authorizePath(client))));
    const { payload: second } = await jwtVerify(again.id_token!, createLocalJWKSet(await (await browser.fetch('/jwks.json')).json()), { issuer });
    expect(second.sid).toBe(payload.sid);
    expect(second.auth_time).toBe(payload.auth_time);
  });

  it('a grant: a code issued before the eviction redeems once after it, and a second redemption is still caught as reuse (RFC 6749 §4.1.2)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    // The grant lives in the object of the session that made it.
    const objectId = SESSIONS.idFromString(code.sessionId);
    const expiry = await alarmOf(SESSIONS, objectId);
    expect(expiry).toEqual(expect.any(Number));

    await evict(SESSIONS, objectId);
    // The alarm that deletes the record at expiry is kept too.
    expect(await alarmOf(SESSIONS, objectId)).toBe(expiry);
    const tokens = await tokensFrom(await redeemCode(client, code));
    expect(await introspect(client, tokens.access_token)).toMatchObject({ active: true });

    await evict(SESSIONS, objectId);
    await expectRefused(await redeemCode(client, code));
    expect(await introspect(client, tokens.access_token)).toEqual({ active: false });
    expect(await introspect(client, tokens.refresh_token!)).toEqual({ active: false });
  });

  it('a grant: its refresh token rotates across evictions, and a spent one is still recognised, revoking the family (RFC 9700 §4.14.2)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const first = await signIn(client, { person });
    const objectId = SESSIONS.idFromString(first.sessionId);

    await evict(SESSIONS, objectId);
    const second = await tokensFrom(await refresh(client, first.refresh_token!));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await evict(SESSIONS, objectId);
    const third = await tokensFrom(await refresh(client, second.refresh_token!));
    expect(await introspect(client, third.access_token)).toMatchObject({ active: true });

    await evict(SESSIONS, objectId);
    await expectRefused(await refresh(client, first.refresh_token!));
    for (const token of [third.access_token, third.refresh_token!]) expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('the keys object: the same signing keys and JWKS after eviction, and tokens signed before verify after', async () => {
    const client = await registerWebClient();
    const tokens = await signIn(client, { person: await createUser() });
    const keysId = KEYS.idFromName(KEYS_OBJECT_NAME);
    const read = async () => ({
      published: await keysObject(KEYS).publicKeys(),
      es256: await keysObject(KEYS).currentKey('ES256'),
      rs256: await keysObject(KEYS).currentKey('RS256'),
    });
    const before = await read();

    await evict(KEYS, keysId);
    // The very same sealed keys, not new ones generated by a fresh instance.
    expect(await read()).toEqual(before);
    // A key store with nothing cached in the isolate signs with the same key.
    const fresh = createKeyStore(KEYS, readConfig(workerEnv), { cacheTtlMs: 0 });
    expect((await fresh.signingKey('ES256')).kid).toBe(before.es256.kid);
    const jwks = await fresh.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual(before.published.map((k) => k.kid));
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer, typ: 'at+jwt' });
    expect(payload.client_id).toBe(client.client_id);
    expect(await introspect(client, tokens.access_token)).toMatchObject({ active: true });
  });
});
