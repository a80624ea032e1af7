// client_secret_jwt (RFC 7523 §2.2 with HS256) needs the client secret itself
// to verify an HMAC, so for those clients alone the secret is also kept sealed:
// AES-256-GCM under a key derived with HKDF-SHA256 (RFC 5869) from
// KEY_ENCRYPTION_SECRET with its own `info` (independent of the signing-key and
// TOTP envelopes), a fresh IV each time, and the client_id as additional data
// so a ciphertext cannot be moved onto another client's row.
import { base64url, fromBase64url } from '../secrets.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FORMAT = 'v1';
const INFO = encoder.encode('workforce-identity/client-secret-encryption/v1');
const IV_BYTES = 12; // NIST SP 800-38D §8.2

const keys = new Map<string, Promise<CryptoKey>>();

function sealingKey(keyEncryptionSecret: string): Promise<CryptoKey> {
  let key = keys.get(keyEncryptionSecret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', new Uint8Array(fromBase64url(keyEncryptionSecret)), 'HKDF', false, ['deriveKey']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO };
      return crypto.subtle.deriveKey(params, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    })();
    keys.set(keyEncryptionSecret, key);
    key.catch(() => keys.delete(keyEncryptionSecret));
  }
  return key;
}

export class ClientSecretUnreadable extends Error {}

/** `v1.<iv>.<ciphertext+tag>`, bound to `clientId`. */
export async function sealClientSecret(keyEncryptionSecret: string, clientId: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(clientId) },
    await sealingKey(keyEncryptionSecret),
    encoder.encode(secret),
  );
  return `${FORMAT}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

export async function openClientSecret(keyEncryptionSecret: string, clientId: string, sealed: string): Promise<string> {
  const [format, iv, ciphertext, ...rest] = sealed.split('.');
  if (format !== FORMAT || !iv || !ciphertext || rest.length > 0) throw new ClientSecretUnreadable();
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(fromBase64url(iv)), additionalData: encoder.encode(clientId) },
      await sealingKey(keyEncryptionSecret),
      new Uint8Array(fromBase64url(ciphertext)),
    );
    return decoder.decode(plain);
  } catch {
    throw new ClientSecretUnreadable();
  }
}
