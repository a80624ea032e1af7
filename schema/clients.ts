// Client applications registered through RFC 7591.
import { sqliteTable, text, integer, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const clients = sqliteTable(
  'clients',
  {
    clientId: text('client_id').primaryKey(),
    // SHA-256 of high-entropy generated secrets: a slow hash would gain nothing here.
    clientSecretHash: text('client_secret_hash'),
    // client_secret_jwt clients only: the secret sealed under KEY_ENCRYPTION_SECRET
    // (src/clients/client-secret-sealing.ts), since an HMAC needs the secret itself.
    clientSecretSealed: text('client_secret_sealed'),
    clientSecretExpiresAt: integer('client_secret_expires_at').notNull().default(0),
    registrationAccessTokenHash: text('registration_access_token_hash').notNull(),
    // The validated RFC 7591 metadata document, without secrets.
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    clientIdIssuedAt: integer('client_id_issued_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('clients_registration_token_unique').on(t.registrationAccessTokenHash)],
);
