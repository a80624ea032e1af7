// DPoP proofs (RFC 9449 §4.3): a JWT the client signs with a key whose public
// half it puts in the header; the server checks it against this request and
// remembers its jti, so a proof is good for one request only. The proof's key
// thumbprint (RFC 7638) is what tokens are bound to (cnf.jkt).
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { z } from 'zod';
import { OAuthError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { sha256 } from '../secrets.ts';
import { checkDpopNonce, issueDpopNonce } from './dpop-nonce.ts';
import { DPOP_SIGNING_ALGS } from './vocabulary.ts';


// RFC 7517 §6.2.2, §6.3.2, §6.4: members only a private or symmetric key has (RFC 9449 §4.3 item 6).
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_PROOF_LENGTH = 8192;

const proofClaims = z.object({
  jti: z.string().min(1).max(256),
  htm: z.string(),
  htu: z.string(),
  iat: z.number(),
  ath: z.string().optional(),
  nonce: z.string().optional(),
});

interface DpopRequest {
  /** The DPoP header values (RFC 9449 §4.3 item 1: exactly one). */
  headers: string[];
  method: string;
  /** The request's URI without query and fragment (§4.3 item 9). */
  uri: string;
  /** At a protected resource: the access token the proof must carry the hash of (§4.3 item 11). */
  accessToken?: string;
}

/** Where the error goes: the token endpoint answers 400 (§5), a resource 401 with a DPoP challenge (§7.1). */
type DpopAudience = 'token_endpoint' | 'resource';

export function dpopError(code: 'invalid_dpop_proof' | 'use_dpop_nonce', description: string, at: DpopAudience, nonce?: string): OAuthError {
  const headers: Record<string, string> = nonce ? { 'DPoP-Nonce': nonce } : {};
  if (at === 'resource') {
    headers['WWW-Authenticate'] = `DPoP error="${code}", error_description="${description}", algs="${DPOP_SIGNING_ALGS.join(' ')}"`;
    return new OAuthError(code, description, { status: 401, headers });
  }
  return new OAuthError(code, description, { headers });
}

function sameUri(htu: string, uri: string): boolean {
  try {
    const a = new URL(htu);
    const b = new URL(uri);
    // RFC 9449 §4.3 item 9: compared without query and fragment (RFC 3986 §6.2 normalisation by URL).
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/**
 * The thumbprint of the proof's key when the proof is good for this request;
 * throws invalid_dpop_proof or use_dpop_nonce otherwise (RFC 9449 §4.3, §8, §9).
 */
export async function verifyDpopProof(ports: Ports, request: DpopRequest, at: DpopAudience): Promise<string> {
  const fail = (description: string) => dpopError('invalid_dpop_proof', description, at);
  if (request.headers.length !== 1) throw fail('exactly one DPoP header is required');
  const proof = request.headers[0]!;
  if (proof.length > MAX_PROOF_LENGTH || proof.split('.').length !== 3) throw fail('the DPoP proof is not a JWS');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw fail('the DPoP proof header is malformed');
  }
  // RFC 9449 §4.3 items 4-6: typ dpop+jwt, an asymmetric alg, a public key in the header.
  if (header.typ !== 'dpop+jwt') throw fail('typ must be dpop+jwt');
  if (!(DPOP_SIGNING_ALGS as readonly string[]).includes(String(header.alg))) throw fail('alg must be one of ' + DPOP_SIGNING_ALGS.join(', '));
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== 'object') throw fail('the header must carry the public key as jwk');
  if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) throw fail('the jwk must be a public key');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [...DPOP_SIGNING_ALGS] }));
  } catch {
    throw fail('the DPoP proof signature does not verify');
  }
  const parsed = proofClaims.safeParse(payload);
  if (!parsed.success) throw fail('the DPoP proof needs jti, htm, htu and iat');
  const claims = parsed.data;
  if (claims.htm !== request.method) throw fail('htm does not match the request method');
  if (!sameUri(claims.htu, request.uri)) throw fail('htu does not match the request URI');
  const now = Math.floor(ports.now() / 1000);
  const window = ports.config.dpop.proofMaxAge;
  // RFC 9449 §11.1: a proof is accepted within a short window of its creation.
  if (Math.abs(now - claims.iat) > window) throw fail('iat is outside the accepted window');
  if (request.accessToken !== undefined) {
    // RFC 9449 §4.3 item 11: the proof is for this access token.
    if (claims.ath === undefined || claims.ath !== (await sha256(request.accessToken))) throw fail('ath does not match the access token');
  }
  if (ports.config.dpop.nonces) {
    // RFC 9449 §8, §9: the server's current nonce, else the client is given one to retry with.
    if (claims.nonce === undefined || !(await checkDpopNonce(ports, claims.nonce))) {
      throw dpopError('use_dpop_nonce', 'a DPoP nonce from this server is required', at, await issueDpopNonce(ports));
    }
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  // RFC 9449 §11.1: one use per proof, remembered past the window on both sides.
  if (!(await ports.replay.firstUse(`dpop:${jkt}:${claims.jti}`, (claims.iat + window + 1) * 1000))) throw fail('the DPoP proof was already used');
  return jkt;
}

/** The DPoP header values of a request, as a list (absent: empty). */
export function dpopHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  // Headers repeated in one request arrive joined with ", "; a compact JWS has no comma.
  return value.split(',').map((v) => v.trim());
}
