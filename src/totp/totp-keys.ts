// Keys for authenticator-app secrets, derived with HKDF-SHA256 (RFC 5869) from
// KEY_ENCRYPTION_SECRET with their own `info`, so they are independent of the
// signing-key envelope (src/keys/key-encryption.ts) that uses the same secret:
//  - sealing: the AES-256-GCM envelope of src/keys/sealing.ts over each stored
//    secret, the person id as additional
//    data, so a ciphertext cannot be moved to another person's row;
//  - setup: HMAC-SHA256 that derives the secret an invitation offers, so the QR
//    code stays the same across reloads without storing anything until the
//    person confirms a code, and the invitation page's CSRF token.
import { derivedKey, open, seal } from '../keys/sealing.ts';
import { base64url } from '../secrets.ts';
import { TOTP_SECRET_BYTES } from './totp.ts';

const encoder = new TextEncoder();
const SEALING_INFO = 'workforce-identity/totp-secret-encryption/v1';

const setupKey = (secret: string) =>
  derivedKey(secret, 'workforce-identity/totp-setup/v1', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']);

class TotpSecretUnreadable extends Error {}

/** `v1.<iv>.<ciphertext+tag>`, bound to `personId`. */
export async function sealTotpSecret(keySecret: string, personId: string, totpSecret: Uint8Array<ArrayBuffer>): Promise<string> {
  return seal(keySecret, SEALING_INFO, personId, totpSecret);
}

export async function openTotpSecret(keySecret: string, personId: string, sealed: string): Promise<Uint8Array<ArrayBuffer>> {
  const plain = await open(keySecret, SEALING_INFO, personId, sealed);
  if (!plain) throw new TotpSecretUnreadable();
  return plain;
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

