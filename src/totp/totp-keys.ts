// Keys for authenticator-app secrets, derived with HKDF-SHA256 (RFC 5869) from
// KEY_ENCRYPTION_SECRET with their own `info`, so they are independent of the
// signing-key envelope (src/keys/key-encryption.ts) that uses the same secret:
//  - sealing: AES-256-GCM over each stored secret, the person id as additional
//    data, so a ciphertext cannot be moved to another person's row;
//  - setup: HMAC-SHA256 that derives the secret an invitation offers, so the QR
//    code stays the same across reloads without storing anything until the
//    person confirms a code, and the invitation page's CSRF token.
import { base64url, fromBase64url } from '../secrets.ts';
import { TOTP_SECRET_BYTES } from './totp.ts';

const encoder = new TextEncoder();
const SEALED_FORMAT = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D §8.2

const keys = new Map<string, Promise<CryptoKey>>();

function derived(secret: string, info: string, algorithm: AesKeyGenParams | HmacImportParams, usages: KeyUsage[]): Promise<CryptoKey> {
  const id = `${info}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', new Uint8Array(fromBase64url(secret)), 'HKDF', false, ['deriveKey']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) };
      return crypto.subtle.deriveKey(params, ikm, algorithm, false, usages);
    })();
    keys.set(id, key);
    key.catch(() => keys.delete(id));
  }
  return key;
}

const sealingKey = (secret: string) =>
  derived(secret, 'workforce-identity/totp-secret-encryption/v1', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']);
const setupKey = (secret: string) =>
  derived(secret, 'workforce-identity/totp-setup/v1', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']);

class TotpSecretUnreadable extends Error {}

/** `v1.<iv>.<ciphertext+tag>`, bound to `personId`. */
export async function sealTotpSecret(keySecret: string, personId: string, totpSecret: Uint8Array<ArrayBuffer>): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(personId) }, await sealingKey(keySecret), totpSecret);
  return `${SEALED_FORMAT}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

export async function openTotpSecret(keySecret: string, personId: string, sealed: string): Promise<Uint8Array<ArrayBuffer>> {
  const [format, iv, ciphertext, ...rest] = sealed.split('.');
  if (format !== SEALED_FORMAT || !iv || !ciphertext || rest.length > 0) throw new TotpSecretUnreadable();
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(fromBase64url(iv)), additionalData: encoder.encode(personId) },
      await sealingKey(keySecret),
      new Uint8Array(fromBase64url(ciphertext)),
    );
    return new Uint8Array(plain);
  } catch {
    throw new TotpSecretUnreadable();
  }
}

async function mac(keySecret: string, label: string, invitationId: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await setupKey(keySecret), encoder.encode(`${label}:${invitationId}`)));
}

/** The secret an invitation offers for an authenticator app: the same on every visit. */
export async function setupSecret(keySecret: string, invitationId: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array((await mac(keySecret, 'secret', invitationId)).slice(0, TOTP_SECRET_BYTES));
}

/** The invitation page's CSRF token: only a page the service rendered for this invitation has it. */
export async function setupFormToken(keySecret: string, invitationId: string): Promise<string> {
  return base64url(await mac(keySecret, 'csrf', invitationId));
}

