// ID tokens (OpenID Connect Core §2, §3.1.3.6): RS256 unless the client
// registered id_token_signed_response_alg (CONTRACT §7), with CIS2's assurance
// claims and the identity claims the granted scopes release (CONTRACT §8).
import { SignJWT } from 'jose';
import { idTokenScopeClaims } from '../claims/scope-claims.ts';
import type { Client } from '../clients/client.ts';
import type { Person } from '../directory/people.ts';
import type { Grant } from '../oauth/grant-store.ts';
import type { Ports, SigningAlg } from '../ports.ts';
import { base64url } from '../secrets.ts';

interface IdTokenRequest {
  client: Client;
  grant: Grant;
  person: Person;
  /** The access token issued beside it, for at_hash. */
  accessToken: string;
  /** The scope of this token response (a refresh may narrow it). */
  scope: readonly string[];
  /** OIDC Core §12.2: a refresh is not an authentication request, so its ID token has no nonce. */
  includeNonce: boolean;
}

// OIDC Core §3.1.3.6: the hash of the alg's JWA hash function; Ed25519 uses
// SHA-512 (OpenID Connect Token Hash Algorithms 1.0, connect issue #1125).
const HASH: Record<SigningAlg, 'SHA-256' | 'SHA-512'> = { RS256: 'SHA-256', ES256: 'SHA-256', PS256: 'SHA-256', EdDSA: 'SHA-512' };

/** at_hash / c_hash: base64url of the left-most half of the hash of the ASCII value. */
export async function tokenHash(value: string, alg: SigningAlg): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(HASH[alg], new TextEncoder().encode(value)));
  return base64url(digest.slice(0, digest.length / 2));
}

export async function issueIdToken(ports: Ports, request: IdTokenRequest): Promise<string> {
  const { client, grant, person } = request;
  const alg = client.metadata.id_token_signed_response_alg;
  const iat = Math.floor(ports.now() / 1000);
  const key = await ports.keys.signingKey(alg);
  const claims = {
    // Identity first, so that no scope claim can overwrite a protocol claim below.
    ...idTokenScopeClaims(person, request.scope, { selectedRoleId: grant.selectedRoleId }),
    iss: ports.config.issuer,
    // CIS2: sub is the person's national uid.
    sub: person.uid,
    aud: client.clientId,
    // CONTRACT §8 (as CIS2, and OIDC Core §2): the authorized party is the client.
    azp: client.clientId,
    iat,
    exp: iat + ports.config.ttl.idToken,
    auth_time: grant.authentication.authTime,
    ...(request.includeNonce && grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    acr: grant.acr,
    amr: grant.authentication.amr,
    // Back-Channel Logout 1.0 §2.1: sid names a live session; an offline_access grant
    // refreshed after its session ended gets no sid, so no RP ties it to an ended session.
    ...(grant.sessionEnded ? {} : { sid: grant.sessionId }),
    at_hash: await tokenHash(request.accessToken, alg),
    // CONTRACT §8: the same assurance as numbers, as CIS2 sends them.
    authentication_assurance_level: String(grant.authentication.aal),
    id_assurance_level: String(person.identityAssuranceLevel),
  };
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}
