// Validates an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) in
// two stages. Until the client and its redirect URI are trusted, errors are shown
// to the person (RFC 6749 §4.1.2.1: never redirect to an unverified URI); after,
// they go back to the client as error responses, so each check names its code.
import { z } from 'zod';
import { isAcrClass, type AcrClass } from '../assurance/acr.ts';
import type { Client } from '../clients/client.ts';
import { OAuthError, type ProtocolErrorCode } from '../errors.ts';
import { parseJson } from '../http/body.ts';
import { requestedResource } from './resource.ts';
import { CODE_CHALLENGE_METHODS, PROMPTS, SCOPES, type Prompt, type ResponseMode } from './vocabulary.ts';


/** Where and how to answer, once the redirect URI is trusted. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

export interface AuthorizationRequest extends ResponseTarget {
  clientId: string;
  scope: string[];
  nonce?: string;
  /** RFC 7636 §4.2, S256 only; null only for a client registered with require_pkce false. */
  codeChallenge: string | null;
  /** RFC 8707 §2: the resource the access tokens are for; absent means the client itself. */
  resource?: string;
  prompt: Prompt[];
  /** OIDC Core §3.1.2.1, seconds. */
  maxAge?: number;
  /** Contract §8: the classes asked for, in order; empty when none were. */
  acrValues: AcrClass[];
  loginHint?: string;
  /** OIDC Core §3.1.2.1: the person (uid) a verified id_token_hint names. */
  idTokenHintSub?: string;
  /**
   * RFC 8628 §3.3: the request is a device authorization waiting for approval on
   * the verification page, not a code for a redirect URI (which is then that page).
   */
  device?: { id: string; userCode: string };
  /** RFC 9449 §10: the JWK thumbprint the code is bound to; its tokens need a proof with that key. */
  dpopJkt?: string;
}

interface RequestOrigin {
  /** Whether the parameters came from a pushed authorization request (RFC 9126). */
  pushed: boolean;
  /** RFC 9126 §5: whether this client may only use pushed requests. */
  pushRequired?: boolean;
}

const STRING_LIMIT = 2048;

export const pageError = (description: string) => new OAuthError('invalid_request', description);
const invalid = (description: string) => new OAuthError('invalid_request', description);

/** Each parameter once (RFC 6749 §3.1); the names repeated, for the right stage to refuse. */
export function singleValues(params: URLSearchParams): { values: Record<string, string>; repeated: Set<string> } {
  const values: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [name, value] of params) {
    if (Object.hasOwn(values, name)) repeated.add(name);
    else values[name] = value;
  }
  return { values, repeated };
}

/** The client_id to look up, or an error for the page. */
export function requestedClientId(values: Record<string, string>, repeated: Set<string>): string {
  const clientId = values.client_id;
  if (!clientId || repeated.has('client_id')) throw pageError('client_id is missing or repeated');
  if (clientId.length > 255) throw pageError('client_id is not valid');
  return clientId;
}

/**
 * Stage one: the redirect URI, matched exactly against the client's registered
 * list (RFC 9700 §4.1.3, no normalisation); it may be left out only when the
 * client registered exactly one (RFC 6749 §3.1.2.3).
 */
export function trustRedirectUri(values: Record<string, string>, repeated: Set<string>, client: Client | null): ResponseTarget {
  if (!client) throw new OAuthError('invalid_client', 'client_id is not a registered client');
  if (repeated.has('redirect_uri')) throw pageError('redirect_uri is repeated');
  const registered = client.metadata.redirect_uris;
  const redirectUri = values.redirect_uri ?? (registered.length === 1 ? registered[0] : undefined);
  if (redirectUri === undefined) throw pageError('redirect_uri is required: the client registered several');
  if (!registered.includes(redirectUri)) throw pageError('redirect_uri is not registered for this client');
  // An unknown response_mode is refused in stage two, answered in the default mode.
  const responseMode: ResponseMode = values.response_mode === 'form_post' ? 'form_post' : 'query';
  // An empty state is no state: there is nothing to echo.
  return { redirectUri, responseMode, state: values.state || undefined };
}

const bounded = (max = STRING_LIMIT) => z.string().min(1).max(max);

/** A zod check whose failure carries the parameter and the RFC error code. */
function check<S extends z.ZodType>(values: Record<string, string>, name: string, schema: S, code: ProtocolErrorCode = 'invalid_request'): z.output<S> {
  const parsed = schema.safeParse(values[name]);
  if (parsed.success) return parsed.data;
  throw new OAuthError(code, `${name}: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
}

const spaceList = (value: string) => value.split(' ').filter((v) => v !== '');

const claimRequest = z.union([
  z.null(),
  z.looseObject({ essential: z.boolean().optional(), value: z.string().optional(), values: z.array(z.string()).max(10).optional() }),
]);
// OIDC Core §5.5: only id_token.acr changes what we do; the rest is accepted and ignored.
const claimsSchema = z.looseObject({
  id_token: z.record(z.string(), claimRequest).optional(),
  userinfo: z.record(z.string(), claimRequest).optional(),
});

function acrClasses(values: string[], source: string): AcrClass[] {
  const unknown = values.find((v) => !isAcrClass(v));
  if (unknown !== undefined) throw invalid(`${source}: ${unknown.slice(0, 64)} is not a supported acr value`);
  return [...new Set(values as AcrClass[])];
}

/**
 * Contract §8, OIDC Core §5.5.1.1: an `acr` asked for in the claims parameter
 * comes first, then acr_values, then the client's default_acr_values.
 */
export function requestedAcr(values: Record<string, string>, client: Client): AcrClass[] {
  if (values.claims !== undefined) {
    const text = check(values, 'claims', bounded(4096));
    let json: unknown;
    try {
      json = parseJson(text);
    } catch {
      throw invalid('claims: not valid JSON');
    }
    const claims = claimsSchema.safeParse(json);
    if (!claims.success) throw invalid('claims: not a claims request (OIDC Core §5.5)');
    const acr = claims.data.id_token?.acr;
    const asked = acr ? (acr.values ?? (acr.value !== undefined ? [acr.value] : [])) : [];
    if (asked.length > 0) return acrClasses(asked, 'claims');
  }
  if (values.acr_values !== undefined) {
    const asked = spaceList(check(values, 'acr_values', bounded(512)));
    if (asked.length > 0) return acrClasses(asked, 'acr_values');
  }
  return [...(client.metadata.default_acr_values ?? [])];
}

export function parseScope(values: Record<string, string>, client: Client): string[] {
  const scope = [...new Set(spaceList(check(values, 'scope', bounded(1024), 'invalid_scope')))];
  // OIDC Core §3.1.2.1: this is an OpenID Provider; a request without openid is not one it serves.
  if (!scope.includes('openid')) throw new OAuthError('invalid_scope', 'scope must include openid');
  const unknown = scope.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown) throw new OAuthError('invalid_scope', `scope ${unknown.slice(0, 64)} is not supported`);
  // RFC 6749 §3.3: only what the operator registered (CONTRACT §3: `openid` when nothing was).
  const allowed = spaceList(client.metadata.scope);
  const refused = scope.find((s) => s !== 'openid' && !allowed.includes(s));
  if (refused) throw new OAuthError('invalid_scope', `scope ${refused} is not registered for this client`);
  return scope;
}

function parsePrompt(values: Record<string, string>): Prompt[] {
  if (values.prompt === undefined) return [];
  const prompt = [...new Set(spaceList(check(values, 'prompt', bounded(128))))];
  const unknown = prompt.find((p) => !(PROMPTS as readonly string[]).includes(p));
  if (unknown) throw invalid(`prompt: ${unknown.slice(0, 32)} is not supported`);
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (prompt.includes('none') && prompt.length > 1) throw invalid('prompt: none cannot be combined with other values');
  return prompt as Prompt[];
}

/**
 * RFC 9700 §2.1.1: PKCE, S256 only (RFC 7636 §4.2: plain, the default, is
 * refused), unless the operator registered this confidential client with
 * require_pkce false (CONTRACT §6); such a client that sends no challenge must
 * send a nonce, which the ID token binds, as the other defence against code injection.
 */
function parseCodeChallenge(values: Record<string, string>, client: Client): string | null {
  const pkceOptional = !client.metadata.require_pkce && client.metadata.token_endpoint_auth_method !== 'none';
  if (values.code_challenge === undefined) {
    if (values.code_challenge_method !== undefined) throw invalid('code_challenge_method without code_challenge');
    if (!pkceOptional) throw invalid('code_challenge is required (PKCE, RFC 7636)');
    if (values.nonce === undefined) throw invalid('nonce is required when code_challenge is omitted (RFC 9700 §2.1.1)');
    return null;
  }
  if (!(CODE_CHALLENGE_METHODS as readonly (string | undefined)[]).includes(values.code_challenge_method)) throw invalid('code_challenge_method must be S256');
  return check(values, 'code_challenge', z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256 (43 characters)'));
}

/** Stage two: every other parameter; errors here are redirected to the client. */
export function parseAuthorizationRequest(
  values: Record<string, string>,
  repeated: Set<string>,
  client: Client,
  target: ResponseTarget,
  origin: RequestOrigin = { pushed: false },
): AuthorizationRequest {
  // RFC 8707 §2: several resources are allowed, and a server may refuse them; one access token here has one aud.
  if (repeated.has('resource')) throw new OAuthError('invalid_target', 'one resource per request');
  const again = [...repeated][0];
  if (again) throw invalid(`${again} is repeated (RFC 6749 §3.1)`);
  // RFC 9126 §5: a client (or a service) that requires PAR gets nothing from a plain request.
  if (origin.pushRequired && !origin.pushed) throw invalid('this client must use a pushed authorization request (RFC 9126)');
  // RFC 9101 §6.1: request objects are not offered (discovery says so), by value or through PAR.
  if (values.request !== undefined) throw new OAuthError('request_not_supported', 'request objects are not supported');
  // RFC 9126 §4: request_uri only from PAR, and /authorize resolved it before this point.
  if (values.request_uri !== undefined) throw invalid('request_uri must come alone with client_id');
  if (values.response_mode !== undefined && values.response_mode !== target.responseMode) {
    throw invalid('response_mode must be query or form_post');
  }
  if (values.response_type === undefined) throw invalid('response_type is required');
  if (values.response_type !== 'code') {
    throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
  }
  if (!client.metadata.grant_types.includes('authorization_code')) {
    throw new OAuthError('unauthorized_client', 'this client is not registered for the authorization code grant');
  }
  const scope = parseScope(values, client);
  const codeChallenge = parseCodeChallenge(values, client);
  const maxAge = values.max_age === undefined
    ? undefined
    : check(values, 'max_age', z.string().regex(/^\d{1,9}$/, 'must be a number of seconds').transform(Number));
  if (values.state) check(values, 'state', bounded());
  return {
    ...target,
    clientId: client.clientId,
    scope,
    nonce: values.nonce === undefined ? undefined : check(values, 'nonce', bounded(512)),
    codeChallenge,
    prompt: parsePrompt(values),
    maxAge,
    acrValues: requestedAcr(values, client),
    resource: requestedResource(values.resource, client),
    loginHint: values.login_hint === undefined ? undefined : check(values, 'login_hint', bounded(256)),
    dpopJkt: values.dpop_jkt === undefined ? undefined : check(values, 'dpop_jkt', z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256 JWK thumbprint (RFC 7638)')),
  };
}
