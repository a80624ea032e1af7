// The append-only audit log: who did what to whom, and how it ended.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    clientId: text('client_id'),
    outcome: text('outcome').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_events_at').on(t.at),
    index('audit_events_subject').on(t.subject, t.at),
    index('audit_events_action').on(t.action, t.at),
    // GET /admin/audit?client=…; SQLite appends the rowid, so newest-first paging by id uses it too.
    index('audit_events_client').on(t.clientId),
  ],
);
