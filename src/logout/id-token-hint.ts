// id_token_hint at the end-session endpoint (OpenID Connect RP-Initiated
// Logout 1.0 §2): an ID token this service issued, checked against the keys it
// publishes. Expiry is not checked: §2 says the OP should accept an expired
// one, since a client often logs out long after its ID token lapsed. The keys bound
// how old a hint can be: a retired key leaves the JWKS once its tokens expire.
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { OAuthError } from '../errors.ts';
import { SIGNING_ALGS } from '../keys/key-generation.ts';
import type { Ports } from '../ports.ts';

export interface IdTokenHint {
  /** The person's uid. */
  sub: string;
  /** The clients the ID token was issued to (ours name exactly one). */
  audiences: string[];
  /** The session it was issued in; ours always carry it. */
  sid: string | null;
}

// Comfortably above any ID token we issue; anything longer is not ours.
const MAX_HINT_LENGTH = 16_384;

const hintClaims = z.object({
  iss: z.string(),
  sub: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  sid: z.string().optional(),
});

const badHint = () => new OAuthError('invalid_request', 'id_token_hint is not an ID token issued by this service');

const keySets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

function keySet(jwks: JSONWebKeySet): JWTVerifyGetKey {
  let set = keySets.get(jwks);
  if (!set) keySets.set(jwks, (set = createLocalJWKSet(jwks)));
  return set;
}

/** The hint's claims when we signed it; an OAuthError (shown as a page) otherwise. */
export async function verifyIdTokenHint(ports: Pick<Ports, 'keys' | 'config'>, token: string): Promise<IdTokenHint> {
  if (token.length > MAX_HINT_LENGTH || token.split('.').length !== 3) throw badHint();
  let payload: Uint8Array;
  try {
    // RFC 8725 §3.11: an access token (at+jwt) or logout token (logout+jwt) is not an ID token.
    const typ = decodeProtectedHeader(token).typ;
    if (typ !== undefined && typ.toUpperCase() !== 'JWT') throw badHint();
    ({ payload } = await compactVerify(token, keySet(await ports.keys.jwks()), { algorithms: [...SIGNING_ALGS] }));
  } catch {
    throw badHint();
  }
  let claims: z.output<typeof hintClaims>;
  try {
    claims = hintClaims.parse(JSON.parse(new TextDecoder().decode(payload)));
  } catch {
    throw badHint();
  }
  // OIDC Core §3.1.3.7 step 2, applied to the hint: the issuer must be us.
  if (claims.iss !== ports.config.issuer) throw badHint();
  return { sub: claims.sub, audiences: typeof claims.aud === 'string' ? [claims.aud] : claims.aud, sid: claims.sid ?? null };
}
