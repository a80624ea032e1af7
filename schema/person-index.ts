// Which sessions and grants each person holds, so that deactivating a person
// can end them at once (their state lives in Durable Objects, found by id).
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { people } from './people.ts';

export const personIndex = sqliteTable(
  'person_index',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    // 'session' or 'grant'
    kind: text('kind').notNull(),
    // The Durable Object id (hex).
    objectId: text('object_id').notNull(),
    createdAt: integer('created_at').notNull(),
    // After this the object has expired by itself and the row may be pruned.
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.objectId] }), index('person_index_person').on(t.personId, t.kind)],
);
