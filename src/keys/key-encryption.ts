// Envelope for signing keys at rest: AES-256-GCM under a key derived with
// HKDF-SHA256 from KEY_ENCRYPTION_SECRET, a fresh IV per key, and the kid as
// additional data so a ciphertext cannot be moved onto another key's row.
// Web Crypto only: the keys object encrypts, the Worker isolate decrypts.
import type { JWK } from 'jose';
import { base64url, fromBase64url } from '../secrets.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The version prefix lets a later scheme sit beside this one during a re-encryption.
const FORMAT = 'v1';
// HKDF info binds the derived key to this one purpose (RFC 5869 §3.2).
const HKDF_INFO = encoder.encode('workforce-identity/signing-key-encryption/v1');
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs for GCM

// A copy over a plain ArrayBuffer, the only kind Web Crypto's types accept.
const bytes = (text: string) => new Uint8Array(fromBase64url(text));

export class KeyDecryptionError extends Error {
  constructor(kid: string) {
    super(`signing key ${kid} cannot be decrypted: wrong KEY_ENCRYPTION_SECRET or tampered ciphertext`);
  }
}

const derived = new Map<string, Promise<CryptoKey>>();

/** The AES-GCM key for a secret, derived once per isolate. */
function deriveKeyEncryptionKey(secret: string): Promise<CryptoKey> {
  let key = derived.get(secret);
  if (!key) {
    key = derive(secret);
    derived.set(secret, key);
    key.catch(() => derived.delete(secret));
  }
  return key;
}

async function derive(secret: string): Promise<CryptoKey> {
  const raw = bytes(secret);
  if (raw.length !== 32) throw new TypeError('KEY_ENCRYPTION_SECRET must be 32 bytes');
  const ikm = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: HKDF_INFO },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** `v1.<iv>.<ciphertext+tag>`, base64url parts. */
export async function encryptPrivateJwk(secret: string, kid: string, jwk: JWK): Promise<string> {
  const key = await deriveKeyEncryptionKey(secret);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(kid) },
    key,
    encoder.encode(JSON.stringify(jwk)),
  );
  return `${FORMAT}.${base64url(iv)}.${base64url(new Uint8Array(ciphertext))}`;
}

export async function decryptPrivateJwk(secret: string, kid: string, sealed: string): Promise<JWK> {
  const [format, iv, ciphertext, ...rest] = sealed.split('.');
  if (format !== FORMAT || !iv || !ciphertext || rest.length > 0) throw new KeyDecryptionError(kid);
  const key = await deriveKeyEncryptionKey(secret);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes(iv), additionalData: encoder.encode(kid) },
      key,
      bytes(ciphertext),
    );
  } catch {
    throw new KeyDecryptionError(kid);
  }
  return JSON.parse(decoder.decode(plaintext)) as JWK;
}
