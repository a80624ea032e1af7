// private_key_jwt (RFC 7523 §2.2, §3; OpenID Connect Core §9): a JWT the client
// signs with a key it registered, naming itself as iss and sub and us as aud,
// bounded in lifetime (CLIENT_ASSERTION_MAX_AGE) and single-use.
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Client } from '../clients/client.ts';
import type { Ports } from '../ports.ts';
import { CIS2_TOKEN_PATH, TOKEN_PATH } from './endpoints.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const CLIENT_ASSERTION_ALGS = ['RS256', 'ES256', 'PS256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_JTI_LENGTH = 256;

export class AssertionRejected extends Error {}

/** The client an assertion claims to come from (iss, which must equal sub), without trusting it yet. */
export function assertionClientId(assertion: string): string | null {
  try {
    const { iss, sub } = decodeJwt(assertion);
    return typeof iss === 'string' && iss !== '' && iss === sub ? iss : null;
  } catch {
    return null;
  }
}

const localKeySets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();
const remoteKeySets = new Map<string, JWTVerifyGetKey>();
const MAX_REMOTE_KEY_SETS = 500;

function clientKeys(client: Client): JWTVerifyGetKey {
  const { jwks, jwks_uri: jwksUri } = client.metadata;
  if (jwks) {
    let set = localKeySets.get(jwks);
    if (!set) localKeySets.set(jwks, (set = createLocalJWKSet(jwks as JSONWebKeySet)));
    return set;
  }
  if (!jwksUri) throw new AssertionRejected('the client has registered no keys');
  let set = remoteKeySets.get(jwksUri);
  if (!set) {
    if (remoteKeySets.size >= MAX_REMOTE_KEY_SETS) remoteKeySets.delete(remoteKeySets.keys().next().value!);
    // jose refetches on an unknown kid, at most once per cooldown; 10 minutes of caching otherwise.
    set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    remoteKeySets.set(jwksUri, set);
  }
  return set;
}

/**
 * The audience-injection advisory (2025, on RFC 7523 clients of several
 * servers): an assertion whose aud lists other parties could have been obtained
 * by one of them and replayed here. So aud is one value, the issuer identifier
 * or the token endpoint URL (CONTRACT §7), as a string or an array of exactly one.
 */
function audienceProblem(aud: unknown, issuer: string): string | null {
  const values = Array.isArray(aud) ? aud : [aud];
  if (values.length !== 1) return 'the client assertion aud must be a single value';
  const [value] = values;
  // CIS2's /access_token is the token endpoint under its CIS2 name (CONTRACT §7).
  const tokenEndpoints = [`${issuer}${TOKEN_PATH}`, `${issuer}${CIS2_TOKEN_PATH}`];
  return value === issuer || tokenEndpoints.includes(value as string) ? null : 'the client assertion aud must be the issuer or the token endpoint';
}

/**
 * Verifies the assertion for `client`, whose registered method is private_key_jwt.
 * Throws AssertionRejected with a safe reason.
 */
export async function verifyClientAssertion(ports: Ports, client: Client, assertion: string): Promise<void> {
  const now = ports.now();
  const { issuer, clientAssertionMaxAge } = ports.config;
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, clientKeys(client), {
      algorithms: CLIENT_ASSERTION_ALGS,
      issuer: client.clientId,
      subject: client.clientId,
      requiredClaims: ['aud', 'exp', 'jti'],
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (err) {
    if (err instanceof AssertionRejected) throw err;
    const code = (err as { code?: string }).code;
    throw new AssertionRejected(code === 'ERR_JWT_EXPIRED' ? 'the client assertion has expired' : 'the client assertion is not valid');
  }
  const audience = audienceProblem(payload.aud, issuer);
  if (audience) throw new AssertionRejected(audience);
  const { exp, jti } = payload as { exp: number; jti: unknown };
  // RFC 7523 §3 item 4 leaves the bound to us; Authlib and others sign for an hour.
  if (exp - now / 1000 > clientAssertionMaxAge + CLOCK_TOLERANCE_SECONDS) {
    throw new AssertionRejected(`the client assertion must expire within ${clientAssertionMaxAge} seconds`);
  }
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    throw new AssertionRejected('the client assertion needs a jti');
  }
  // RFC 7523 §3 item 7: a jti is accepted once, remembered until the assertion expires.
  const first = await ports.replay.firstUse(`client_assertion:${client.clientId}:${jti}`, (exp + CLOCK_TOLERANCE_SECONDS) * 1000);
  if (!first) throw new AssertionRejected('the client assertion jti was already used');
}
