// The sign-in journey as a browser runs it, over HTTP: an authorization
// request, the passkey assertion through the sign-in page's JSON API, and the
// redirect back to the client. Runtime-neutral: workerd and Node tests share it.
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { isRedirect, type HttpBrowser } from './http-browser.ts';
import type { SoftwareAuthenticator } from './webauthn/authenticator.ts';

// RFC 7636 Appendix B: this verifier's S256 challenge.
export const CODE_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CODE_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** /authorize with the usual parameters for `client`; `undefined` leaves one out. */
export function authorizePath(client: { client_id: string; redirect_uris: string[] }, params: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uris[0],
    scope: 'openid',
    state: `state-${crypto.randomUUID()}`,
    nonce: `nonce-${crypto.randomUUID()}`,
    code_challenge: CODE_CHALLENGE,
    code_challenge_method: 'S256',
    ...params,
  };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) if (v !== undefined) query.set(k, v);
  return `/authorize?${query}`;
}

export interface AssertionOptions {
  credentialId?: string;
  userVerified?: boolean;
}

/** The sign-in page's script: options, the authenticator's assertion, verify. */
export async function passkeySignIn(browser: HttpBrowser, authenticator: SoftwareAuthenticator, opts: AssertionOptions = {}): Promise<Response> {
  const res = await browser.postJson('/webauthn/authentication/options', {});
  if (res.status !== 200) throw new Error(`authentication options answered ${res.status}: ${await res.text()}`);
  const options = (await res.json()) as PublicKeyCredentialRequestOptionsJSON;
  const assertion = await authenticator.getAssertion(options, { origin: browser.origin, ...opts });
  return browser.postJson('/webauthn/authentication/verify', assertion);
}

/** Signs in on the sign-in page the browser is on and follows redirect_to; answers where that ends. */
export async function signInAndContinue(browser: HttpBrowser, authenticator: SoftwareAuthenticator, opts: AssertionOptions = {}): Promise<Response> {
  const verified = await passkeySignIn(browser, authenticator, opts);
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}: ${await verified.text()}`);
  const { redirect_to } = (await verified.json()) as { redirect_to: string };
  return browser.navigate(redirect_to);
}

/** Follows an authorization request in `browser`, signing in when the sign-in page appears; answers the final response. */
export async function followAuthorization(browser: HttpBrowser, url: string, authenticator: SoftwareAuthenticator): Promise<Response> {
  const res = await browser.navigate(url);
  if (isRedirect(res) || browser.url.pathname !== '/signin') return res;
  return signInAndContinue(browser, authenticator);
}

/** Authorizes `client` in `browser`, signing in when the sign-in page appears; answers the final response. */
export function authorize(
  browser: HttpBrowser,
  client: { client_id: string; redirect_uris: string[] },
  authenticator: SoftwareAuthenticator,
  params: Record<string, string | undefined> = {},
): Promise<Response> {
  return followAuthorization(browser, authorizePath(client, params), authenticator);
}
