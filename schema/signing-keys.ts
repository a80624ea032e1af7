// Signing keys where no Durable Object keeps them (the Deno entry): each
// algorithm's next, current and retired keys, private halves sealed with
// AES-256-GCM under KEY_ENCRYPTION_SECRET (src/keys/key-encryption.ts).
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const signingKeys = sqliteTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    alg: text('alg').notNull(),
    // 'next', 'current' or 'retired'
    state: text('state').notNull(),
    publicJwk: text('public_jwk').notNull(),
    encryptedPrivateJwk: text('encrypted_private_jwk').notNull(),
    createdAt: integer('created_at').notNull(),
    retireUntil: integer('retire_until'),
  },
  // At most one next and one current key per algorithm: two instances creating
  // or rotating at once cannot both succeed.
  (t) => [uniqueIndex('signing_keys_live').on(t.alg, t.state).where(sql`state <> 'retired'`)],
);
