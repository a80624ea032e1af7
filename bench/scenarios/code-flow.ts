// The authorization code flow as a client and a fresh browser run it: the
// authorization request with PKCE, the provider's sign-in, the redirect back,
// and the code redeemed at the token endpoint (RFC 6749 §4.1, RFC 7636).
import { createHash, randomBytes } from 'node:crypto';
import { basicAuthorization, Browser, expectJson, StepError } from '../http.ts';
import type { Target } from '../target.ts';

export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}

const random = () => randomBytes(32).toString('base64url');

export async function signInForTokens(target: Target, vu: number): Promise<TokenResponse> {
  // A fresh browser each time: no session cookie, so the sign-in really happens.
  const browser = new Browser(target.http, new URL(target.issuer).origin);
  const verifier = random();
  const state = random();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: target.code.clientId,
    redirect_uri: target.code.redirectUri,
    scope: 'openid',
    state,
    nonce: random(),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const back = await target.signIn(browser, `${target.paths.authorization}?${query}`, vu);
  const code = back.searchParams.get('code');
  if (`${back.origin}${back.pathname}` !== target.code.redirectUri || back.searchParams.get('state') !== state || !code) {
    throw new StepError(`authorization response: unexpected ${back.href.slice(0, 200)}`);
  }
  const res = await target.http.postForm(
    target.paths.token,
    { grant_type: 'authorization_code', code, redirect_uri: target.code.redirectUri, code_verifier: verifier },
    { authorization: basicAuthorization(target.code.clientId, target.code.clientSecret) },
  );
  const tokens = expectJson<TokenResponse>('token (authorization_code)', res);
  if (!tokens.access_token || !tokens.id_token || !tokens.refresh_token) throw new StepError('token (authorization_code): missing a token');
  return tokens;
}
