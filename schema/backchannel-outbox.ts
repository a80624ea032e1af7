// Back-channel logout deliveries where no Durable Object keeps them (the Deno
// entry): one row per ended session and client, until delivered or given up.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const backchannelOutbox = sqliteTable(
  'backchannel_outbox',
  {
    sessionId: text('session_id').notNull(),
    clientId: text('client_id').notNull(),
    personId: text('person_id'),
    subject: text('subject'),
    reason: text('reason').notNull(),
    attempts: integer('attempts').notNull().default(0),
    // When the next attempt is due; a worker that takes a row moves it ahead
    // first, so another instance does not deliver the same token at once.
    nextAt: integer('next_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.clientId] }), index('backchannel_outbox_due').on(t.nextAt)],
);
