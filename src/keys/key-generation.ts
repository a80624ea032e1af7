// Creates signing key pairs and names them. The kid is the RFC 7638 JWK
// thumbprint of the public key, so it is stable and says which key it is.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { SIGNING_ALGS } from '../oauth/vocabulary.ts';
import type { SigningAlg } from '../ports.ts';

/**
 * Every algorithm a client may register exists from the start, so its key is in
 * the JWKS (and relying parties' caches) before it signs anything; created on
 * first use, a PS256 or EdDSA key would sign tokens nobody could yet verify.
 */
export { SIGNING_ALGS };

export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === 'string' && (SIGNING_ALGS as readonly string[]).includes(value);
}

/** Public JWK members per key type (RFC 7518 §6, RFC 8037 §2): nothing private can slip through. */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
};

export function publicMembers(jwk: JWK): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new TypeError(`unsupported key type ${String(jwk.kty)}`);
  const out: Record<string, unknown> = {};
  for (const m of members) {
    if (typeof jwk[m as keyof JWK] !== 'string') throw new TypeError(`public JWK lacks ${m}`);
    out[m] = jwk[m as keyof JWK];
  }
  return out as JWK;
}

interface GeneratedKey {
  kid: string;
  alg: SigningAlg;
  /** Only the public members, without kid, alg or use. */
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function generateSigningKey(alg: SigningAlg): Promise<GeneratedKey> {
  // EdDSA is Ed25519 in jose; RSA keys are 2048 bits (NIST SP 800-57: fine past 2030 for signatures issued now).
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = publicMembers(await exportJWK(pair.publicKey));
  const privateJwk = await exportJWK(pair.privateKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { kid, alg, publicJwk, privateJwk };
}

/** Imports a private JWK for signing only; the CryptoKey cannot be exported again. */
export function importSigningKey(alg: SigningAlg, privateJwk: JWK): Promise<CryptoKey> {
  return importJWK(privateJwk, alg, { extractable: false }) as Promise<CryptoKey>;
}
