// A provider under test, as the scenarios see it: endpoints from its discovery
// document, the clients provisioned on it, and the parts of a sign-in that
// differ between ours (a passkey) and the peer (a scripted login).
import type { ServerProcesses } from './cpu.ts';
import type { Browser, HttpClient } from './http.ts';

export interface SecretClient {
  clientId: string;
  clientSecret: string;
}

interface KeyClient {
  clientId: string;
  kid: string;
  privateKey: CryptoKey;
}

export interface Target {
  name: 'ours' | 'peer';
  http: HttpClient;
  /** As clients see it: a browser's Origin, a client assertion's audience. */
  issuer: string;
  /** Paths (under http.origin) of the endpoints discovery names, and the token endpoint's URL (a client assertion's aud). */
  paths: { token: string; introspection: string; authorization: string };
  tokenEndpoint: string;
  basic: SecretClient;
  jwt: KeyClient;
  code: SecretClient & { redirectUri: string };
  /** What scenario (c) introspects: a few words on it, and how to get a fresh one. */
  introspected: { description: string; issue(): Promise<string> };
  /**
   * The browser's part of a sign-in after GET authorization URL: whatever pages
   * and scripts the provider shows, until the redirect to redirect_uri. Answers that redirect's URL.
   */
  signIn(browser: Browser, authorizationPath: string, vu: number): Promise<URL>;
  /** Server processes whose CPU time counts, by role; null when the server is not ours to watch (--url). */
  processes: ServerProcesses | null;
}

interface Discovery {
  issuer: string;
  token_endpoint: string;
  introspection_endpoint: string;
  authorization_endpoint: string;
}

/** The provider's discovery document (OpenID Connect Discovery 1.0 §4). */
export async function discoveryDocument<T = Discovery>(http: HttpClient): Promise<T> {
  const res = await http.request('/.well-known/openid-configuration');
  if (res.status !== 200) throw new Error(`discovery answered ${res.status}: ${res.text.slice(0, 200)}`);
  return JSON.parse(res.text) as T;
}

/** The endpoints of `http`'s provider, from its discovery document (clients never hard-code paths). */
export async function discover(http: HttpClient): Promise<Pick<Target, 'issuer' | 'paths' | 'tokenEndpoint'>> {
  const doc = await discoveryDocument(http);
  const path = (url: string) => new URL(url).pathname;
  return {
    issuer: doc.issuer,
    tokenEndpoint: doc.token_endpoint,
    paths: { token: path(doc.token_endpoint), introspection: path(doc.introspection_endpoint), authorization: path(doc.authorization_endpoint) },
  };
}
