// client_secret_jwt (RFC 7523 §2.2 with HS256) needs the client secret itself
// to verify an HMAC, so for those clients alone the secret is also kept sealed
// (src/keys/sealing.ts) with its own HKDF `info`, and the client_id as
// additional data so a ciphertext cannot be moved onto another client's row.
import { open, seal } from '../keys/sealing.ts';

const INFO = 'workforce-identity/client-secret-encryption/v1';

export class ClientSecretUnreadable extends Error {}

/** `v1.<iv>.<ciphertext+tag>`, bound to `clientId`. */
export async function sealClientSecret(keyEncryptionSecret: string, clientId: string, secret: string): Promise<string> {
  return seal(keyEncryptionSecret, INFO, clientId, new TextEncoder().encode(secret));
}

export async function openClientSecret(keyEncryptionSecret: string, clientId: string, sealed: string): Promise<string> {
  const plain = await open(keyEncryptionSecret, INFO, clientId, sealed);
  if (!plain) throw new ClientSecretUnreadable();
  return new TextDecoder().decode(plain);
}
