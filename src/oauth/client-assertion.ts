// private_key_jwt and client_secret_jwt (RFC 7523 §2.2, §3; OpenID Connect Core
// §9): a JWT the client signs with a key it registered (or, for
// client_secret_jwt, an HMAC over its client secret), naming itself as iss and
// sub and us as aud, bounded in lifetime (CLIENT_ASSERTION_MAX_AGE) and single-use.
import { createLocalJWKSet, createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ClientSecretUnreadable, openClientSecret } from '../clients/client-secret-sealing.ts';
import type { Client } from '../clients/client.ts';
import { OutboundAddressRefused } from '../clients/resolved-address.ts';
import type { Ports } from '../ports.ts';
import { usesFapi2 } from './client-policy.ts';
import { CIS2, OAUTH } from '../paths.ts';
import { CLIENT_SECRET_JWT_ALGS, SIGNING_ALGS } from './vocabulary.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_JTI_LENGTH = 256;

export class AssertionRejected extends Error {}

/** Which method an assertion uses, by its header's alg: an HMAC is client_secret_jwt. */
export function assertionMethod(assertion: string): 'private_key_jwt' | 'client_secret_jwt' {
  try {
    return decodeProtectedHeader(assertion).alg?.startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt';
  } catch {
    return 'private_key_jwt';
  }
}

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
/** Remote key sets by the fetch that reaches them (an entry's outbound port), then by jwks_uri. */
const remoteKeySets = new WeakMap<typeof fetch, Map<string, JWTVerifyGetKey>>();
const MAX_REMOTE_KEY_SETS = 500;
const runtimeFetch: typeof fetch = (input, init) => fetch(input, init);

function clientKeys(client: Client, outbound: typeof fetch = runtimeFetch): JWTVerifyGetKey {
  const { jwks, jwks_uri: jwksUri } = client.metadata;
  if (jwks) {
    let set = localKeySets.get(jwks);
    if (!set) localKeySets.set(jwks, (set = createLocalJWKSet(jwks as JSONWebKeySet)));
    return set;
  }
  if (!jwksUri) throw new AssertionRejected('the client has registered no keys');
  let sets = remoteKeySets.get(outbound);
  if (!sets) remoteKeySets.set(outbound, (sets = new Map()));
  let set = sets.get(jwksUri);
  if (!set) {
    if (sets.size >= MAX_REMOTE_KEY_SETS) sets.delete(sets.keys().next().value!);
    // jose refetches on an unknown kid, at most once per cooldown; 10 minutes of caching otherwise.
    set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 600_000, [customFetch]: outbound });
    sets.set(jwksUri, set);
  }
  return set;
}

/**
 * The audience-injection advisory (2025, on RFC 7523 clients of several
 * servers): an assertion whose aud lists other parties could have been obtained
 * by one of them and replayed here. So aud is one value, the issuer identifier
 * or the token endpoint URL (CONTRACT §7), as a string or an array of exactly one.
 */
function audienceProblem(aud: unknown, issuer: string, issuerOnly: boolean): string | null {
  const values = Array.isArray(aud) ? aud : [aud];
  if (values.length !== 1) return 'the client assertion aud must be a single value';
  const [value] = values;
  // FAPI 2.0 Security Profile (final, after the audience-injection advisory): the issuer identifier alone.
  if (issuerOnly) return value === issuer ? null : 'the client assertion aud must be the issuer identifier';
  // CIS2's /access_token is the token endpoint under its CIS2 name (CONTRACT §7).
  const tokenEndpoints = [`${issuer}${OAUTH.token}`, `${issuer}${CIS2.token}`];
  return value === issuer || tokenEndpoints.includes(value as string) ? null : 'the client assertion aud must be the issuer or the token endpoint';
}

/** The secret a client_secret_jwt client's HMAC is keyed with; never for an expired secret. */
async function clientSecretKey(ports: Ports, client: Client): Promise<Uint8Array> {
  const expiresAt = client.clientSecretExpiresAt;
  if (!client.clientSecretSealed || (expiresAt !== 0 && expiresAt <= ports.now() / 1000)) {
    throw new AssertionRejected('the client has no current secret');
  }
  try {
    return new TextEncoder().encode(await openClientSecret(ports.config.keyEncryptionSecret, client.clientId, client.clientSecretSealed));
  } catch (err) {
    if (err instanceof ClientSecretUnreadable) throw new AssertionRejected('the client secret cannot be read');
    throw err;
  }
}

/**
 * Verifies the assertion for `client`, whose registered method is private_key_jwt
 * or client_secret_jwt (the caller checked which). Throws AssertionRejected with a safe reason.
 */
export async function verifyClientAssertion(ports: Ports, client: Client, assertion: string): Promise<void> {
  const now = ports.now();
  const { issuer, clientAssertionMaxAge } = ports.config;
  const shared = client.metadata.token_endpoint_auth_method === 'client_secret_jwt';
  let payload;
  try {
    const options = {
      algorithms: [...(shared ? CLIENT_SECRET_JWT_ALGS : SIGNING_ALGS)],
      issuer: client.clientId,
      subject: client.clientId,
      requiredClaims: ['aud', 'exp', 'jti'],
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    ({ payload } = shared
      ? await jwtVerify(assertion, await clientSecretKey(ports, client), options)
      : await jwtVerify(assertion, clientKeys(client, ports.outboundFetch), options));
  } catch (err) {
    if (err instanceof AssertionRejected) throw err;
    // The client's own registration is at fault: saying which part helps its developers.
    if (err instanceof OutboundAddressRefused) throw new AssertionRejected(`the client's jwks_uri may not be fetched: ${err.message}`);
    const code = (err as { code?: string }).code;
    throw new AssertionRejected(code === 'ERR_JWT_EXPIRED' ? 'the client assertion has expired' : 'the client assertion is not valid');
  }
  const audience = audienceProblem(payload.aud, issuer, usesFapi2(client, ports.config));
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
