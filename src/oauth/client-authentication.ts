// Client authentication at the token, introspection and revocation endpoints
// (RFC 6749 §2.3, RFC 7523, OpenID Connect Core §9). A client must use the one
// method it registered; every failure is `invalid_client` (RFC 6749 §5.2).
import { findCachedClient } from '../clients/client-cache.ts';
import { verifyClientSecret, type Client, type TokenEndpointAuthMethod } from '../clients/client.ts';
import type { Context } from 'hono';
import { OAuthError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import type { Ports } from '../ports.ts';
import { AssertionRejected, assertionClientId, assertionMethod, CLIENT_ASSERTION_TYPE, verifyClientAssertion } from './client-assertion.ts';
import { recordTokenEvent } from './token-audit.ts';

interface ClientAuthenticationRequest {
  authorization: string | undefined;
  params: Record<string, string | undefined>;
  requestId: string;
}

interface ClientAuthenticationOptions {
  /** Public clients (`none`) may use this endpoint. */
  allowPublic: boolean;
}

const MAX_CLIENT_ID_LENGTH = 256;

// One decoder for every request: decode() keeps no state between calls without `stream`.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * RFC 6749 §2.3.1: client_id and client_secret are form-urlencoded before they
 * are joined with ":" and base64-encoded. Null when the header is malformed.
 */
export function parseBasicCredentials(header: string): { clientId: string; clientSecret: string } | null {
  const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!m) return null;
  try {
    const binary = atob(m[1]!);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const text = strictUtf8.decode(bytes);
    const colon = text.indexOf(':');
    if (colon < 0) return null;
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    const clientId = decode(text.slice(0, colon));
    const clientSecret = decode(text.slice(colon + 1));
    return clientId ? { clientId, clientSecret } : null;
  } catch {
    return null;
  }
}

function isBasic(header: string | undefined): header is string {
  return /^basic(\s|$)/i.test(header?.trim() ?? '');
}

interface Presented {
  method: TokenEndpointAuthMethod;
  clientId: string;
  secret?: string;
  assertion?: string;
}

export async function authenticateClient(
  ports: Ports,
  request: ClientAuthenticationRequest,
  options: ClientAuthenticationOptions,
): Promise<Client> {
  const basicTried = isBasic(request.authorization);
  let claimedId: string | null = null;
  let method: TokenEndpointAuthMethod | 'unknown' = 'unknown';
  const fail = async (reason: string): Promise<never> => {
    await recordTokenEvent(ports, {
      actor: claimedId ? `client:${claimedId.slice(0, MAX_CLIENT_ID_LENGTH)}` : 'anonymous',
      action: 'client.authenticate',
      clientId: claimedId?.slice(0, MAX_CLIENT_ID_LENGTH) ?? null,
      outcome: 'failure',
      details: { method, reason },
      requestId: request.requestId,
    });
    // RFC 6749 §5.2: 401 (required after header authentication, allowed after any),
    // and a challenge for the scheme the client tried.
    const headers: Record<string, string> = basicTried ? { 'WWW-Authenticate': `Basic realm="${ports.config.issuer}"` } : {};
    throw new OAuthError('invalid_client', reason, { status: 401, headers });
  };

  const presented = presentedCredentials(request, basicTried);
  if (typeof presented === 'string') return fail(presented);
  claimedId = presented.clientId;
  method = presented.method;
  if (claimedId.length > MAX_CLIENT_ID_LENGTH) return fail('unknown client');
  const client = await findCachedClient(ports.db, claimedId, ports.now());
  if (!client) return fail('unknown client');
  const registered = client.metadata.token_endpoint_auth_method;
  if (registered !== method) return fail(`the client must authenticate with ${registered}`);
  if (method === 'none' && !options.allowPublic) return fail('public clients cannot use this endpoint');
  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    const ok = await verifyClientSecret(client, presented.secret ?? '', Math.floor(ports.now() / 1000));
    if (!ok) return fail('wrong client secret');
  }
  if (method === 'private_key_jwt' || method === 'client_secret_jwt') {
    try {
      await verifyClientAssertion(ports, client, presented.assertion!);
    } catch (err) {
      if (!(err instanceof AssertionRejected)) throw err;
      return fail(err.message);
    }
  }
  return client;
}

/** Which method the request used and for which client; a string says why none could be told. */
function presentedCredentials(request: ClientAuthenticationRequest, basicTried: boolean): Presented | string {
  const { client_id: clientIdParam, client_secret: secret, client_assertion: assertion } = request.params;
  const assertionType = request.params.client_assertion_type;
  const used = [basicTried, secret !== undefined, assertion !== undefined || assertionType !== undefined].filter(Boolean).length;
  // RFC 6749 §2.3: one authentication method per request.
  if (used > 1) throw new OAuthError('invalid_request', 'use only one client authentication method');
  const sameId = (id: string) => clientIdParam === undefined || clientIdParam === id;
  if (basicTried) {
    const basic = parseBasicCredentials(request.authorization!);
    if (!basic) return 'malformed Basic credentials';
    if (!sameId(basic.clientId)) return 'client_id does not match the Basic credentials';
    return { method: 'client_secret_basic', clientId: basic.clientId, secret: basic.clientSecret };
  }
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== CLIENT_ASSERTION_TYPE) return `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`;
    if (assertion === undefined) return 'client_assertion is missing';
    const clientId = assertionClientId(assertion);
    if (!clientId) return 'the client assertion must name the client as iss and sub';
    if (!sameId(clientId)) return 'client_id does not match the client assertion';
    return { method: assertionMethod(assertion), clientId, assertion };
  }
  if (clientIdParam === undefined) return 'client authentication is required';
  if (secret !== undefined) return { method: 'client_secret_post', clientId: clientIdParam, secret };
  return { method: 'none', clientId: clientIdParam };
}

/**
 * The endpoint's caller, authenticated from the request and remembered on the
 * context, so that CORS shares the answer with that client's origins only.
 */
export async function authenticateCaller(
  c: Context<AppEnv>,
  params: Record<string, string | undefined>,
  options: ClientAuthenticationOptions,
): Promise<Client> {
  const client = await authenticateClient(c.var.ports, { authorization: c.req.header('authorization'), params, requestId: c.var.requestId }, options);
  c.set('authenticatedClient', client);
  return client;
}
