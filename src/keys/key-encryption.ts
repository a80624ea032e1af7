// Envelope for signing keys at rest: AES-256-GCM under a key derived with
// HKDF-SHA256 from KEY_ENCRYPTION_SECRET, a fresh IV per key, and the kid as
// additional data so a ciphertext cannot be moved onto another key's row.
// Web Crypto only: the keys object encrypts, the Worker isolate decrypts.
import type { JWK } from 'jose';
import { open, seal } from './sealing.ts';

// HKDF info binds the derived key to this one purpose (RFC 5869 §3.2).
const HKDF_INFO = 'workforce-identity/signing-key-encryption/v1';

export class KeyDecryptionError extends Error {
  constructor(kid: string) {
    super(`signing key ${kid} cannot be decrypted: wrong KEY_ENCRYPTION_SECRET or tampered ciphertext`);
  }
}

/** `v1.<iv>.<ciphertext+tag>`, base64url parts (src/keys/sealing.ts). */
export async function encryptPrivateJwk(secret: string, kid: string, jwk: JWK): Promise<string> {
  return seal(secret, HKDF_INFO, kid, new TextEncoder().encode(JSON.stringify(jwk)));
}

export async function decryptPrivateJwk(secret: string, kid: string, sealed: string): Promise<JWK> {
  const plaintext = await open(secret, HKDF_INFO, kid, sealed);
  if (!plaintext) throw new KeyDecryptionError(kid);
  return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
}
