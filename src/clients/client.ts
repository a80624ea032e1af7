// A registered client as the protocol endpoints see it: its validated metadata
// and the hash of its secret, never the secret.
import type { Database } from '../ports.ts';
import { secretMatchesHash } from '../secrets.ts';
import type { ClientMetadata } from './client-metadata.ts';
import { selectClient } from './client-store.ts';

export type { ClientMetadata, GrantType, TokenEndpointAuthMethod } from './client-metadata.ts';

export interface Client {
  clientId: string;
  /** Seconds since the epoch (RFC 7591 §3.2.1 client_id_issued_at). */
  clientIdIssuedAt: number;
  /** SHA-256 (base64url) of the client_secret; null for private_key_jwt and none. */
  clientSecretHash: string | null;
  /** The secret sealed under KEY_ENCRYPTION_SECRET; client_secret_jwt clients only. */
  clientSecretSealed: string | null;
  /** Seconds since the epoch; 0 means the secret does not expire. */
  clientSecretExpiresAt: number;
  metadata: ClientMetadata;
}

/** The client registered as `clientId`, or null. */
export async function findClient(db: Database, clientId: string): Promise<Client | null> {
  const stored = await selectClient(db, clientId);
  if (!stored) return null;
  const { registrationAccessTokenHash: _, ...client } = stored;
  return client;
}

/**
 * Whether `presented` is this client's current secret, compared in constant time.
 * False for clients without a secret and for an expired one.
 */
export async function verifyClientSecret(
  client: Client,
  presented: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!client.clientSecretHash) return false;
  if (client.clientSecretExpiresAt !== 0 && client.clientSecretExpiresAt <= nowSeconds) return false;
  return secretMatchesHash(presented, client.clientSecretHash);
}
