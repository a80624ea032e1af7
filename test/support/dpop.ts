// A DPoP client key and its proofs (RFC 9449 §4), with knobs for the bad
// proofs tests send. Runtime-neutral: workerd and Node tests share it.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { sha256 } from '../../src/secrets.ts';

export interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
  jkt: string;
}

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, privateJwk: await exportJWK(privateKey), jkt: await calculateJwkThumbprint(publicJwk) };
}

export interface ProofOptions {
  htm?: string;
  htu: string;
  accessToken?: string;
  /** Seconds since the epoch; default now. */
  iat?: number;
  jti?: string;
  nonce?: string;
  alg?: string;
  typ?: string;
  /** The jwk put in the header (e.g. the private one). */
  headerJwk?: JWK;
  /** Claims to drop or override. */
  claims?: Record<string, unknown>;
}

export async function dpopProof(key: DpopKey, options: ProofOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: options.jti ?? crypto.randomUUID(),
    htm: options.htm ?? 'POST',
    htu: options.htu,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    ...(options.accessToken ? { ath: await sha256(options.accessToken) } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
    ...options.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', typ: options.typ ?? 'dpop+jwt', jwk: options.headerJwk ?? key.publicJwk })
    .sign(key.privateKey);
}

/** RFC 7515 §A.5: an unsecured JWS with alg none, which must never be accepted. */
export function unsignedProof(key: DpopKey, htu: string): string {
  const encode = (v: unknown) => btoa(JSON.stringify(v)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })}.${encode({ jti: crypto.randomUUID(), htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) })}.`;
}
