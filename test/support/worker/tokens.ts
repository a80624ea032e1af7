// Tokens for workerd tests without the browser flow: a session signed in
// straight through the session store port, a code issued in it through the
// grant store port (as the authorization endpoint does once the person is
// known), redeemed at the token endpoint; and calls to the introspection,
// revocation and userinfo endpoints.
import { env } from 'cloudflare:test';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import type { GrantStore } from '../../../src/oauth/grant-store.ts';
import type { Authentication, GrantInput, Ports } from '../../../src/ports.ts';
import { indexPersonObject } from '../../../src/directory/person-index.ts';
import { randomToken, sha256 } from '../../../src/secrets.ts';
import type { OpenedSession } from '../../../src/session/session-store.ts';
import type { Env } from '../../../workers/env.ts';
import { createGrantStore } from '../../../workers/grant-store.ts';
import { buildPorts } from '../../../workers/ports.ts';
import { clientCredentials, REDIRECT_URI, type TestClient } from './client-auth.ts';
import { call } from './requests.ts';

export const workerEnv = env as unknown as Env;

let ports: Ports | undefined;

/** The Worker's own ports over the test bindings (one set per test file). */
export function testPorts(): Ports {
  ports ??= buildPorts(workerEnv);
  return ports;
}

/** A grant store whose clock is `now`: to issue codes that are already old. */
export function grantStoreAt(now: () => number): GrantStore {
  const p = testPorts();
  return createGrantStore(workerEnv.SESSIONS, p.config, { now });
}

/**
 * A session signed in at `at` as a sign-in leaves it: authenticated, and indexed
 * under the person (CONTRACT §4). `endsAt` makes it one that began earlier and
 * ends then, re-authenticated at `at` (a step-up does not move the end).
 */
export async function testSession(authentication: Authentication, at: number, endsAt?: number): Promise<OpenedSession> {
  const { sessions, db, config } = testPorts();
  const began = endsAt === undefined ? at : endsAt - config.ttl.sessionMaxAge * 1000;
  // Created on the real clock: a record created hours ago would already be past its
  // unauthenticated expiry, and the object's alarm could delete it before the
  // authentication below lands (the lifetime starts at that authentication anyway).
  const created = await sessions.create(Math.max(began, Date.now()));
  let opened = await sessions.authenticate(created.handle, authentication, null, began);
  if (opened && began !== at) opened = await sessions.authenticate(opened.handle, authentication, null, at);
  if (!opened) throw new Error('the test session did not authenticate');
  await indexPersonObject(db, { personId: authentication.personId, kind: 'session', objectId: opened.session.id, now: at, expiresAt: opened.session.expiresAt });
  return opened;
}

/** A made-up passkey authentication: AAL3, amr FIDO2 (CONTRACT §8). */
export function testAuthentication(personId: string, overrides: Partial<Authentication> = {}): Authentication {
  return { personId, authTime: Math.floor(Date.now() / 1000), amr: ['FIDO2'], aal: 3, method: 'passkey', ...overrides };
}

export interface TestCodeOptions {
  client: { client_id: string };
  person: { id: string };
  scope?: string[];
  nonce?: string;
  acr?: string;
  selectedRoleId?: string | null;
  redirectUri?: string;
  /** When the session the code is issued in ends (it began SESSION_MAX_AGE before). */
  sessionExpiresAt?: number;
  authentication?: Partial<Authentication>;
  store?: GrantStore;
  /** RFC 9449 §10: the dpop_jkt the authorization request carried. */
  dpopJkt?: string;
}

export interface TestCode {
  code: string;
  grantId: string;
  /** The session the grant was made in: the ID token's sid. */
  sessionId: string;
  codeVerifier: string;
  redirectUri: string;
  input: GrantInput;
}

/** Issues a code as the authorization endpoint would, with a fresh PKCE pair. */
export async function issueTestCode(options: TestCodeOptions): Promise<TestCode> {
  const codeVerifier = randomToken(48);
  const redirectUri = options.redirectUri ?? REDIRECT_URI;
  const authentication = testAuthentication(options.person.id, options.authentication);
  // Signed in a few minutes ago, so that stores whose clock runs behind (grantStoreAt) find it live.
  const { session } = await testSession(authentication, Date.now() - 5 * 60_000, options.sessionExpiresAt);
  const input: GrantInput = {
    clientId: options.client.client_id,
    personId: options.person.id,
    sessionId: session.id,
    scope: options.scope ?? ['openid', 'profile'],
    redirectUri,
    codeChallenge: await sha256(codeVerifier),
    ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
    authentication,
    acr: options.acr ?? 'AAL3_ANY',
    selectedRoleId: options.selectedRoleId ?? null,
    ...(options.dpopJkt ? { dpopJkt: options.dpopJkt } : {}),
  };
  const issued = await (options.store ?? testPorts().grants).issueCode(input);
  if (!issued) throw new Error('the grant store issued no code in a live session');
  return { ...issued, sessionId: session.id, codeVerifier, redirectUri, input };
}

/** POSTs a form to an OAuth endpoint, authenticated as `client` by its registered method unless `as` is null. */
export async function postForm(path: string, params: Record<string, string>, client: TestClient | null, headers: Record<string, string> = {}): Promise<Response> {
  const auth = client ? await clientCredentials(client) : { headers: {}, params: {} };
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth.headers, ...headers },
    body: new URLSearchParams({ ...auth.params, ...params }).toString(),
  });
}

export function redeemCode(client: TestClient, code: TestCode, overrides: Record<string, string> = {}): Promise<Response> {
  return postForm(
    '/token',
    { grant_type: 'authorization_code', code: code.code, redirect_uri: code.redirectUri, code_verifier: code.codeVerifier, ...overrides },
    client,
  );
}

export function refresh(client: TestClient, refreshToken: string, overrides: Record<string, string> = {}): Promise<Response> {
  return postForm('/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...overrides }, client);
}

export interface TokenSet {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/** A code issued and redeemed: the token response, failing loudly unless 200. */
export async function signIn(client: TestClient, options: Omit<TestCodeOptions, 'client'>): Promise<TokenSet & { grantId: string; sessionId: string }> {
  const code = await issueTestCode({ ...options, client });
  const res = await redeemCode(client, code);
  if (res.status !== 200) throw new Error(`redeeming a code answered ${res.status}: ${await res.text()}`);
  return { ...((await res.json()) as TokenSet), grantId: code.grantId, sessionId: code.sessionId };
}

export async function introspect(client: TestClient, token: string): Promise<Record<string, unknown>> {
  const res = await postForm('/introspect', { token }, client);
  if (res.status !== 200) throw new Error(`introspection answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export function revoke(client: TestClient, token: string): Promise<Response> {
  return postForm('/revoke', { token }, client);
}

export function userinfo(accessToken: string, method: 'GET' | 'POST' = 'GET'): Promise<Response> {
  if (method === 'GET') return call('/userinfo', { headers: { authorization: `Bearer ${accessToken}` } });
  return call('/userinfo', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: accessToken }).toString(),
  });
}

/** The published JWKS, as a relying party would load it to verify tokens. */
export async function publishedKeys(): Promise<JWTVerifyGetKey> {
  const res = await call('/jwks.json');
  return createLocalJWKSet(await res.json());
}
