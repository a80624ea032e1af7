// Whether an access token is active: signed by us and unexpired (checked in the
// isolate), not revoked: a grant's tokens ask the grant's object, the
// client_credentials tokens the revocation list (RFC 7662 §2.2, RFC 7009 §2);
// and its client still registered (RFC 7592 §2.3: deleting a client ends its tokens).
import { findCachedClient } from '../clients/client-cache.ts';
import type { Grant } from '../oauth/grant-store.ts';
import type { Ports } from '../ports.ts';
import { grantIdOfJti, verifyAccessToken, type AccessTokenClaims } from './access-token.ts';

interface ActiveAccessToken {
  claims: AccessTokenClaims;
  /** The live grant behind the token; null for client_credentials tokens. */
  grant: Grant | null;
}

export async function activeAccessToken(ports: Ports, token: string): Promise<ActiveAccessToken | null> {
  const claims = await verifyAccessToken(ports, token);
  if (!claims) return null;
  // Cached in the isolate: no round trip on the hot path; a deletion is seen
  // here at once and in other isolates within CLIENT_CACHE_TTL_MS.
  if (!(await findCachedClient(ports.db, claims.client_id, ports.now()))) return null;
  const grantId = grantIdOfJti(claims.jti);
  if (grantId === null) {
    return (await ports.revocations.isRevoked(claims.jti)) ? null : { claims, grant: null };
  }
  const grant = await ports.grants.findGrant(grantId);
  // The grant object is the authority; the token's own client_id must agree with it,
  // except for an exchanged token (RFC 8693 §4.1: act), issued to the exchanging client.
  if (!grant || (grant.clientId !== claims.client_id && !claims.act)) return null;
  return { claims, grant };
}
