// The clients table, through drizzle: what registration writes and reads.
import { asc, eq } from 'drizzle-orm';
import { clients } from '../../schema/clients.ts';
import type { Database } from '../ports.ts';
import type { Client } from './client.ts';
import { clientMetadataSchema, type ClientMetadata } from './client-metadata.ts';

/** A client with what only the RFC 7592 configuration endpoint needs. */
export interface StoredClient extends Client {
  registrationAccessTokenHash: string;
}

function toStoredClient(row: typeof clients.$inferSelect): StoredClient {
  return {
    clientId: row.clientId,
    clientIdIssuedAt: row.clientIdIssuedAt,
    clientSecretHash: row.clientSecretHash,
    clientSecretSealed: row.clientSecretSealed,
    clientSecretExpiresAt: row.clientSecretExpiresAt,
    // Validated on write; parsing again fills defaults introduced since.
    metadata: clientMetadataSchema.parse(row.metadata),
    registrationAccessTokenHash: row.registrationAccessTokenHash,
  };
}

export async function selectClient(db: Database, clientId: string): Promise<StoredClient | null> {
  const [row] = await db.select().from(clients).where(eq(clients.clientId, clientId)).limit(1);
  return row ? toStoredClient(row) : null;
}

/** The operator's list: at most `limit` clients, in the order they were registered. */
export async function listClients(db: Database, limit: number): Promise<StoredClient[]> {
  const rows = await db.select().from(clients).orderBy(asc(clients.clientIdIssuedAt), asc(clients.clientId)).limit(limit);
  return rows.map(toStoredClient);
}

export async function insertClient(db: Database, client: StoredClient, nowSeconds: number): Promise<void> {
  await db.insert(clients).values({
    clientId: client.clientId,
    clientSecretHash: client.clientSecretHash,
    clientSecretSealed: client.clientSecretSealed,
    clientSecretExpiresAt: client.clientSecretExpiresAt,
    registrationAccessTokenHash: client.registrationAccessTokenHash,
    metadata: client.metadata,
    clientIdIssuedAt: client.clientIdIssuedAt,
    updatedAt: nowSeconds,
  });
}

/** Replaces the metadata (RFC 7592 §2.2); false if the client was deleted meanwhile. */
export async function replaceClient(
  db: Database,
  clientId: string,
  change: { metadata: ClientMetadata; clientSecretHash: string | null; clientSecretSealed: string | null },
  nowSeconds: number,
): Promise<boolean> {
  const updated = await db
    .update(clients)
    .set({ metadata: change.metadata, clientSecretHash: change.clientSecretHash, clientSecretSealed: change.clientSecretSealed, updatedAt: nowSeconds })
    .where(eq(clients.clientId, clientId))
    .returning({ clientId: clients.clientId });
  return updated.length > 0;
}

/** False if there was no such client. */
export async function deleteClient(db: Database, clientId: string): Promise<boolean> {
  const deleted = await db.delete(clients).where(eq(clients.clientId, clientId)).returning({ clientId: clients.clientId });
  return deleted.length > 0;
}
