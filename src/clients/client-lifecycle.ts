// Registering, re-keying and deleting a client, as one set of functions for the
// RFC 7591/7592 endpoints and the operator console: the same validation has
// already run (client-metadata.ts), the same rows are written, the same cache
// entries dropped and the same audit events recorded. Only hashes of secrets
// are stored; the clear values are returned once, for the caller to show.
import type { Ports } from '../ports.ts';
import { randomToken, sha256 } from '../secrets.ts';
import type { Client } from './client.ts';
import { invalidateClient } from './client-cache.ts';
import { usesClientSecret, type ClientMetadata } from './client-metadata.ts';
import { sealClientSecret } from './client-secret-sealing.ts';
import { deleteClient, insertClient, replaceClient, type StoredClient } from './client-store.ts';

/** Who made a change, for the audit log: 'admin', `client:<id>` or an operator. */
export interface ChangeAuthor {
  actor: string;
  requestId: string | null;
  /** Recorded with the event, e.g. the operator's display name. */
  details?: Record<string, unknown>;
}

export async function recordClientChange(ports: Ports, author: ChangeAuthor, action: string, client: Client): Promise<void> {
  await ports.audit.record({
    actor: author.actor,
    action,
    subject: client.clientId,
    clientId: client.clientId,
    outcome: 'success',
    details: {
      client_name: client.metadata.client_name,
      token_endpoint_auth_method: client.metadata.token_endpoint_auth_method,
      ...author.details,
    },
    requestId: author.requestId,
  });
}

/** RFC 7523 §2.2 HS256: only a client_secret_jwt client's secret is kept in a form that verifies an HMAC. */
export async function sealedIfNeeded(keyEncryptionSecret: string, clientId: string, metadata: ClientMetadata, secret: string | undefined): Promise<string | null> {
  if (metadata.token_endpoint_auth_method !== 'client_secret_jwt' || secret === undefined) return null;
  return sealClientSecret(keyEncryptionSecret, clientId, secret);
}

export const nowSeconds = (ports: Pick<Ports, 'now'>) => Math.floor(ports.now() / 1000);

export interface Registered {
  client: StoredClient;
  /** Secret methods only (RFC 7591 §3.2.1). */
  clientSecret?: string;
  registrationAccessToken: string;
}

/** RFC 7591 §3.2.1: stores a client with already-validated metadata; audited as client.register. */
export async function registerClient(ports: Ports, metadata: ClientMetadata, author: ChangeAuthor): Promise<Registered> {
  const { db, config } = ports;
  const issuedAt = nowSeconds(ports);
  const clientSecret = usesClientSecret(metadata.token_endpoint_auth_method) ? randomToken() : undefined;
  const registrationAccessToken = randomToken();
  const clientId = randomToken(16);
  const client: StoredClient = {
    clientId,
    clientIdIssuedAt: issuedAt,
    clientSecretHash: clientSecret ? await sha256(clientSecret) : null,
    clientSecretSealed: await sealedIfNeeded(config.keyEncryptionSecret, clientId, metadata, clientSecret),
    clientSecretExpiresAt: 0,
    metadata,
    registrationAccessTokenHash: await sha256(registrationAccessToken),
  };
  await insertClient(db, client, issuedAt);
  await recordClientChange(ports, author, 'client.register', client);
  return { client, clientSecret, registrationAccessToken };
}

/**
 * A new client_secret for a client that uses one; the old one stops working at
 * once (this isolate at once, others within the client cache's lifetime).
 * Null when the client was deleted meanwhile. Audited as client.secret_rotate.
 */
export async function rotateClientSecret(ports: Ports, client: StoredClient, author: ChangeAuthor): Promise<{ client: StoredClient; clientSecret: string } | null> {
  if (!usesClientSecret(client.metadata.token_endpoint_auth_method)) throw new TypeError('this client has no secret to rotate');
  const clientSecret = randomToken();
  const change = {
    metadata: client.metadata,
    clientSecretHash: await sha256(clientSecret),
    clientSecretSealed: await sealedIfNeeded(ports.config.keyEncryptionSecret, client.clientId, client.metadata, clientSecret),
  };
  if (!(await replaceClient(ports.db, client.clientId, change, nowSeconds(ports)))) return null;
  invalidateClient(ports.db, client.clientId);
  const rotated = { ...client, ...change };
  await recordClientChange(ports, author, 'client.secret_rotate', rotated);
  return { client: rotated, clientSecret };
}

/**
 * RFC 7592 §2.3: the client_id, its secret and registration access token stop
 * working at once, and with them its tokens: every token check looks the client
 * up. False when there was no such client. Audited as client.delete.
 */
export async function removeClient(ports: Ports, client: StoredClient, author: ChangeAuthor): Promise<boolean> {
  if (!(await deleteClient(ports.db, client.clientId))) return false;
  invalidateClient(ports.db, client.clientId);
  await recordClientChange(ports, author, 'client.delete', client);
  return true;
}
