// The end of a session against `npm start`, as a relying party sees it: after
// logout the session's tokens stop working (OIDC Back-Channel Logout 1.0 §2.7,
// RFC 9700 §4.14.2), but for a grant that asked for offline_access.
import { beforeAll, describe, expect, it } from 'vitest';
import { isRedirect, locationParams } from '../support/http-browser.ts';
import { enrolledPerson, type HttpPerson } from '../support/node/contract.ts';
import { useStack } from '../support/node/lifecycle.ts';
import { discover, introspect, registerClient, send, tokenRequest, type ConfidentialClient, type Endpoints } from '../support/node/oauth-calls.ts';
import { authorizePath, CODE_VERIFIER } from '../support/sign-in.ts';

const REDIRECT_URI = 'https://lifecycle-rp.example/callback';
const POST_LOGOUT_URI = 'https://lifecycle-rp.example/signed-out';

const stack = useStack('lifecycle');
let endpoints: Endpoints & { userinfo_endpoint: string; end_session_endpoint: string; scopes_supported: string[] };
let client: ConfidentialClient;

interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

async function signIn(person: HttpPerson, scope: string): Promise<Tokens> {
  const done = await person.authorize(authorizePath(client, { scope }));
  expect(isRedirect(done)).toBe(true);
  const { code } = locationParams(done, stack.url);
  const redeemed = await tokenRequest(endpoints, client, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: CODE_VERIFIER });
  expect(redeemed.status).toBe(200);
  return redeemed.json as Tokens;
}

async function logout(person: HttpPerson, idToken: string): Promise<void> {
  const url = `${endpoints.end_session_endpoint}?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: POST_LOGOUT_URI })}`;
  const res = await person.browser.fetch(url);
  expect(res.status).toBe(303);
}

const userinfo = (accessToken: string) => send(endpoints.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });

beforeAll(async () => {
  endpoints = (await discover(stack)) as typeof endpoints;
  client = await registerClient(stack, endpoints, {
    client_name: 'lifecycle RP',
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [POST_LOGOUT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: endpoints.scopes_supported.includes('offline_access') ? 'openid profile offline_access' : 'openid profile',
  });
});

describe('logout ends the session\'s grants (Back-Channel Logout 1.0 §2.7, RFC 9700 §4.14.2, CONTRACT §7)', () => {
  it('after /logout the refresh token is refused and the access token is inactive at introspection and userinfo', async () => {
    const person = await enrolledPerson(stack, { userName: 'lifecycle.logout' });
    const tokens = await signIn(person, 'openid profile');
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    await logout(person, tokens.id_token);
    const refreshed = await tokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(400);
    expect(refreshed.json).toMatchObject({ error: 'invalid_grant' });
    expect((await introspect(endpoints, client, tokens.access_token)).json).toEqual({ active: false });
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });

  // The offline_access scope is accepted at /authorize once discovery lists it (CONTRACT §6).
  it('keeps a grant holding offline_access: it refreshes after logout, and its new ID token carries no sid (OIDC Core §11)', async (ctx) => {
    if (!endpoints.scopes_supported.includes('offline_access')) ctx.skip();
    const person = await enrolledPerson(stack, { userName: 'lifecycle.offline' });
    const tokens = await signIn(person, 'openid offline_access');
    await logout(person, tokens.id_token);
    const refreshed = await tokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const idToken = JSON.parse(Buffer.from((refreshed.json.id_token as string).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(idToken.sid).toBeUndefined();
    expect((await introspect(endpoints, client, refreshed.json.access_token as string)).json).toMatchObject({ active: true });
  });
});
