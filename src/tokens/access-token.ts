// Access tokens are RFC 9068 JWTs signed with ES256 (CONTRACT §7), so resource
// servers can check them offline; introspection and userinfo add revocation.
// The jti names the grant (`<grant id>.<random>`) so a check can route to the
// grant's object; client_credentials tokens have none (`cc.<random>`).
import { createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Ports } from '../ports.ts';
import { randomToken } from '../secrets.ts';
import { isGrantId } from '../oauth/grant-handle.ts';

const ACCESS_TOKEN_TYP = 'at+jwt';
const ACCESS_TOKEN_ALG = 'ES256';
const CLIENT_CREDENTIALS_JTI_PREFIX = 'cc';

/** What a person's authentication adds to their access tokens (RFC 9068 §2.2.1). */
interface AuthenticationClaims {
  auth_time: number;
  acr: string;
  amr: string[];
}

interface AccessTokenRequest {
  clientId: string;
  /** The person's uid, or the client_id for client_credentials (RFC 9068 §2.2). */
  subject: string;
  scope: readonly string[];
  /** The grant the token belongs to; null for client_credentials. */
  grantId: string | null;
  /** RFC 8707 §2, RFC 8693 §2.1: the resource or audience the token is for, its aud; the client when absent. */
  audience?: string;
  /** Seconds since the epoch; the token never outlives it (e.g. the grant's end). */
  notAfter?: number;
  authentication?: AuthenticationClaims;
  /** RFC 9449 §6.1: the DPoP key thumbprint the token is bound to. */
  jkt?: string | null;
  /** RFC 8693 §4.1: who acts on the subject's behalf (token exchange). */
  act?: ActorClaim;
}

/** RFC 8693 §4.1: the acting party, and any earlier ones nested inside. */
interface ActorClaim {
  sub: string;
  act?: ActorClaim;
}

const actorClaim: z.ZodType<ActorClaim> = z.lazy(() => z.object({ sub: z.string(), act: actorClaim.optional() }));

const accessTokenClaims = z.object({
  iss: z.string(),
  sub: z.string(),
  // RFC 9068 §2.2 (see issueAccessToken for why it is the client_id).
  aud: z.union([z.string(), z.array(z.string())]),
  client_id: z.string(),
  scope: z.string().optional(),
  jti: z.string(),
  iat: z.number(),
  exp: z.number(),
  auth_time: z.number().optional(),
  acr: z.string().optional(),
  amr: z.array(z.string()).optional(),
  // RFC 9449 §6.1: a DPoP-bound token names its key.
  cnf: z.object({ jkt: z.string() }).optional(),
  act: actorClaim.optional(),
});

export type AccessTokenClaims = z.output<typeof accessTokenClaims>;

interface IssuedAccessToken {
  token: string;
  claims: AccessTokenClaims;
  /** Seconds, for the token response's expires_in. */
  expiresIn: number;
}

export async function issueAccessToken(ports: Ports, request: AccessTokenRequest): Promise<IssuedAccessToken> {
  const iat = Math.floor(ports.now() / 1000);
  const exp = Math.min(iat + ports.config.ttl.accessToken, request.notAfter ?? Infinity);
  const claims: AccessTokenClaims = {
    iss: ports.config.issuer,
    sub: request.subject,
    // RFC 9068 §3: with no resource indicator the server picks a default audience.
    // We pick the client itself: its own back end is the resource server the
    // token is for, and a token leaked from one client's API is then refused by
    // every other client's API. The issuer's own endpoints (userinfo,
    // introspection) check iss, typ and the grant instead. RFC 8707 §2: a
    // resource indicator names the audience instead.
    aud: request.audience ?? request.clientId,
    client_id: request.clientId,
    ...(request.scope.length > 0 ? { scope: request.scope.join(' ') } : {}),
    jti: `${request.grantId ?? CLIENT_CREDENTIALS_JTI_PREFIX}.${randomToken(16)}`,
    iat,
    exp,
    ...request.authentication,
    ...(request.jkt ? { cnf: { jkt: request.jkt } } : {}),
    ...(request.act ? { act: request.act } : {}),
  };
  const key = await ports.keys.signingKey(ACCESS_TOKEN_ALG);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .sign(key.privateKey);
  return { token, claims, expiresIn: Math.max(0, exp - iat) };
}

/** The grant a jti names, or null for a client_credentials token. */
export function grantIdOfJti(jti: string): string | null {
  const prefix = jti.slice(0, jti.indexOf('.'));
  return isGrantId(prefix) ? prefix : null;
}

// The JWKS object is replaced whenever the key store reloads it; one key set per object.
const keySets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

function keySet(jwks: JSONWebKeySet): JWTVerifyGetKey {
  let set = keySets.get(jwks);
  if (!set) keySets.set(jwks, (set = createLocalJWKSet(jwks)));
  return set;
}

// Comfortably above any token we issue; anything longer is not ours.
const MAX_TOKEN_LENGTH = 8192;

// A resource server introspects the same token on each call it serves, and the
// signature check is most of an introspection's CPU (docs/benchmark.md, `--profile`). The exact
// token text of a verified token is remembered per key set, so a reloaded JWKS
// (a rotation, a removed key) starts afresh; expiry is checked on every use.
const MAX_VERIFIED = 5000;
const verifiedTokens = new WeakMap<JSONWebKeySet, Map<string, AccessTokenClaims>>();

function verifiedFor(jwks: JSONWebKeySet): Map<string, AccessTokenClaims> {
  let verified = verifiedTokens.get(jwks);
  if (!verified) verifiedTokens.set(jwks, (verified = new Map()));
  return verified;
}

/**
 * The claims of an access token this issuer signed and that has not expired
 * (RFC 9068 §4: signature, iss, typ, exp); null for anything else, never a throw.
 * Revocation is the caller's next question (src/tokens/token-status.ts).
 */
export async function verifyAccessToken(ports: Ports, token: string): Promise<AccessTokenClaims | null> {
  if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return null;
  const jwks = await ports.keys.jwks();
  const verified = verifiedFor(jwks);
  const known = verified.get(token);
  if (known) return known.exp > Math.floor(ports.now() / 1000) ? known : null;
  try {
    const { payload } = await jwtVerify(token, keySet(jwks), {
      issuer: ports.config.issuer,
      typ: ACCESS_TOKEN_TYP,
      algorithms: [ACCESS_TOKEN_ALG],
      requiredClaims: ['sub', 'jti', 'client_id', 'iat', 'exp'],
      currentDate: new Date(ports.now()),
    });
    const parsed = accessTokenClaims.safeParse(payload);
    if (!parsed.success) return null;
    if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
    // Shared by every later caller of this token, so nobody may change it.
    verified.set(token, Object.freeze(parsed.data));
    return parsed.data;
  } catch {
    return null;
  }
}
