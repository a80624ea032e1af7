// Envelopes for secrets at rest (signing keys, authenticator-app secrets,
// client_secret_jwt secrets): AES-256-GCM under a key derived with HKDF-SHA256
// (RFC 5869) from KEY_ENCRYPTION_SECRET, one `info` per purpose (§3.2) so the
// envelopes are independent of each other; a fresh 96-bit IV each time (NIST
// SP 800-38D §8.2) and the row's id as additional data, so a ciphertext cannot
// be moved onto another row. `v1.<iv>.<ciphertext+tag>`, base64url parts.
import { base64url, fromBase64url } from '../secrets.ts';

const encoder = new TextEncoder();
// The version prefix lets a later scheme sit beside this one during a re-encryption.
const FORMAT = 'v1';
const IV_BYTES = 12;

const keys = new Map<string, Promise<CryptoKey>>();

/** The key for one purpose (`info`) derived from `secret`, once per isolate. */
export function derivedKey(secret: string, info: string, algorithm: AesKeyGenParams | HmacImportParams, usages: KeyUsage[]): Promise<CryptoKey> {
  const id = `${info}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = (async () => {
      const raw = new Uint8Array(fromBase64url(secret));
      if (raw.length !== 32) throw new TypeError('KEY_ENCRYPTION_SECRET must be 32 bytes');
      const ikm = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) };
      return crypto.subtle.deriveKey(params, ikm, algorithm, false, usages);
    })();
    keys.set(id, key);
    key.catch(() => keys.delete(id));
  }
  return key;
}

const sealingKey = (secret: string, info: string) => derivedKey(secret, info, { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']);

export async function seal(secret: string, info: string, additionalData: string, plaintext: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await sealingKey(secret, info);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(additionalData) }, key, plaintext);
  return `${FORMAT}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The plaintext; null when `sealed` is no envelope, was tampered with, or was sealed under another key or additional data. */
export async function open(secret: string, info: string, additionalData: string, sealed: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const [format, iv, ciphertext, ...rest] = sealed.split('.');
  if (format !== FORMAT || !iv || !ciphertext || rest.length > 0) return null;
  const key = await sealingKey(secret, info);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(fromBase64url(iv)), additionalData: encoder.encode(additionalData) },
      key,
      new Uint8Array(fromBase64url(ciphertext)),
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}
