// The code flow against `npm start` as one signed-in browser and one confidential
// client see it: a person enrolled and signed in once, then a fresh code per
// authorization request by single sign-on (contract §6: no page shown), and the
// token, introspection and audit calls a race test makes over its own connections.
import { isRedirect, locationParams, type HttpBrowser } from '../http-browser.ts';
import { authorizePath, CODE_VERIFIER } from '../sign-in.ts';
import type { Connection, Answer } from './connection.ts';
import { admin, enrolledPerson } from './contract.ts';
import type { LocalStack } from './local-stack.ts';

export interface SecretClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

/** A confidential client (client_secret_basic) for the code and refresh token grants. */
export async function registerSecretClient(stack: LocalStack, name: string): Promise<SecretClient> {
  const res = await admin(stack, '/register', 'POST', {
    client_name: name,
    redirect_uris: [`https://${name}.example/callback`],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json as SecretClient;
}

/** A new person with a passkey, signed in once in a browser whose session then serves every request. */
export async function signedInBrowser(stack: LocalStack, client: SecretClient, userName: string): Promise<HttpBrowser> {
  const { browser, authorize } = await enrolledPerson(stack, { userName });
  const done = await authorize(authorizePath(client));
  if (!isRedirect(done) || !locationParams(done, stack.url).code) throw new Error(`signing in ended with ${done.status}`);
  return browser;
}

/** A fresh code by single sign-on: the session answers the request with no page. */
export async function nextCode(browser: HttpBrowser, client: SecretClient): Promise<string> {
  const res = await browser.fetch(authorizePath(client));
  const code = isRedirect(res) ? locationParams(res, browser.origin).code : undefined;
  if (!code) throw new Error(`single sign-on answered ${res.status} ${res.headers.get('location') ?? ''}`);
  return code;
}

/**
 * The grant an access token belongs to: its jti is `<grant id>.<random>`.
 * (Codes and refresh tokens name only the session object the grant lives in.)
 */
export function grantIdOfAccessToken(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { jti: string };
  return payload.jti.slice(0, payload.jti.indexOf('.'));
}

/** RFC 6749 §2.3.1: each part form-urlencoded, then joined with ":" and base64-encoded. */
export function basicAuthorization(client: SecretClient): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(client.client_id)}:${encode(client.client_secret)}`).toString('base64')}`;
}

export function redeemCode(conn: Connection, client: SecretClient, code: string): Promise<Answer> {
  const fields = { grant_type: 'authorization_code', code, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER };
  return conn.postForm('/token', fields, { authorization: basicAuthorization(client) });
}

export function refresh(conn: Connection, client: SecretClient, refreshToken: string): Promise<Answer> {
  return conn.postForm('/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basicAuthorization(client) });
}

/** RFC 7662: the introspection answer, failing loudly unless 200. */
export async function introspect(conn: Connection, client: SecretClient, token: string): Promise<Record<string, unknown>> {
  const res = await conn.postForm('/introspect', { token }, { authorization: basicAuthorization(client) });
  if (res.status !== 200) throw new Error(`introspection answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

export interface AuditEvent {
  action: string;
  client_id: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/** Every audit event matching `query` (GET /admin/audit, followed through its cursors). */
export async function auditEvents(stack: LocalStack, query: Record<string, string>): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) });
    const page = await admin(stack, `/admin/audit?${params}`);
    if (page.status !== 200) throw new Error(`audit answered ${page.status}`);
    events.push(...(page.json.events as AuditEvent[]));
    cursor = page.json.next_cursor as string | null;
  } while (cursor);
  return events;
}
