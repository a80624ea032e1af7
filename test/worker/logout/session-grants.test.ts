import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { CODE_VERIFIER, authorize } from '../../support/sign-in.ts';
import { redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { POST_LOGOUT_REDIRECT_URI, registerLogoutClient, signInTo } from '../../support/worker/logout.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, issueTestCode, postForm, redeemCode, refresh, signIn, testPorts, userinfo, type TokenSet } from '../../support/worker/tokens.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';

const logoutPath = (params: Record<string, string>) => `/logout?${new URLSearchParams(params)}`;

async function expectRefused(client: Parameters<typeof refresh>[0], tokens: TokenSet): Promise<void> {
  const res = await refresh(client, tokens.refresh_token!);
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  expect(await introspect(client, tokens.access_token)).toEqual({ active: false });
  expect((await userinfo(tokens.access_token)).status).toBe(401);
}

describe('ending a session ends what it issued (OIDC Back-Channel Logout 1.0 §2.7, RFC 9700 §4.14.2, CONTRACT §7)', () => {
  it('after /logout the refresh token is refused and the access token is inactive at introspection and userinfo', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    expect(await introspect(client, s.tokens.access_token)).toMatchObject({ active: true });
    const res = await s.browser.fetch(logoutPath({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI }));
    expect(res.status).toBe(303);
    await expectRefused(client, s.tokens);
  });

  it('revokes the first person\'s grants when another person signs in on the same browser', async () => {
    const client = await registerLogoutClient(null);
    const first = await signInTo(client);
    const second = await enrolPasskey();
    const done = await authorize(first.browser, client, second.authenticator, { prompt: 'login' });
    const { code } = redirectParams(done);
    const res = await postForm('/token', { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER }, client);
    expect(res.status).toBe(200);
    const secondTokens = (await res.json()) as TokenSet;
    await expectRefused(client, first.tokens);
    // The newcomer's own grant, in a session of its own, is live.
    expect(await introspect(client, secondTokens.access_token)).toMatchObject({ active: true });
    expect(decodeJwt(secondTokens.id_token!).sid).not.toBe(first.sessionId);
  });

  it('refuses a code issued in the session but not yet redeemed when it ends', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    await testPorts().sessions.end(code.sessionId);
    const res = await redeemCode(client, code);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('keeps a grant holding offline_access: it still refreshes, but its ID tokens no longer carry the ended sid (OIDC Core §11)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const offline = await signIn(client, { person, scope: ['openid', 'offline_access'] });
    const online = await signIn(client, { person, scope: ['openid', 'profile'] });
    expect(decodeJwt(offline.id_token!).sid).toBe(offline.sessionId);
    await testPorts().sessions.end(offline.sessionId);
    await testPorts().sessions.end(online.sessionId);

    await expectRefused(client, online);
    expect(await introspect(client, offline.access_token)).toMatchObject({ active: true });
    const res = await refresh(client, offline.refresh_token!);
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as TokenSet;
    expect(decodeJwt(rotated.id_token!).sid).toBeUndefined();
    expect(decodeJwt(rotated.id_token!).sub).toBe(decodeJwt(offline.id_token!).sub);
  });
});
