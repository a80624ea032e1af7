// The per-person index of sessions (schema/person-index.ts). Grants live in the
// session that made it, so the session's entry leads to them too; its expiry
// (the session's end) is also the latest any of its grants can end.
//
// Every write of person_index is here, with one definition of the row: a
// sign-in sends personIndexInsert in its own transaction
// (src/session/sign-in-write.ts), indexPersonObject runs that same statement
// alone, and forgetPersonObject removes an ended session.
import type { Client, InStatement } from '@libsql/client';
import { and, desc, eq, gt } from 'drizzle-orm';
import { personIndex } from '../../schema/person-index.ts';
import type { Database } from '../ports.ts';

export type IndexedKind = 'session';

interface IndexEntry {
  personId: string;
  kind: IndexedKind;
  objectId: string;
  now: number;
  expiresAt: number;
}

/** Indexes one session on its own (the sign-in's transaction sends personIndexInsert instead). */
export async function indexPersonObject(db: Database, entry: IndexEntry): Promise<void> {
  // drizzle(client) keeps the libSQL client it wraps as $client.
  const client = (db as Database & { $client: Pick<Client, 'execute'> }).$client;
  await client.execute(personIndexInsert(entry));
}

/**
 * The index row as a statement of the caller's own libSQL batch (a transaction).
 * With `whenPreviousChanged`, it is inserted only if the batch's previous
 * statement changed exactly one row (SQLite changes()).
 */
export function personIndexInsert(entry: IndexEntry, whenPreviousChanged = false): InStatement {
  const args = [entry.personId, entry.kind, entry.objectId, entry.now, entry.expiresAt];
  const columns = 'person_index (person_id, kind, object_id, created_at, expires_at)';
  // An upsert after INSERT … SELECT needs the SELECT's WHERE (SQLite's parsing rule), which it has.
  const sql = whenPreviousChanged
    ? `INSERT INTO ${columns} SELECT ?, ?, ?, ?, ? WHERE changes() = 1 ON CONFLICT DO NOTHING`
    : `INSERT INTO ${columns} VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
  return { sql, args };
}

/** The person's sessions that may still hold something live. */
export async function personObjects(db: Database, personId: string, kind: IndexedKind, now: number): Promise<string[]> {
  const rows = await db
    .select({ objectId: personIndex.objectId })
    .from(personIndex)
    .where(and(eq(personIndex.personId, personId), eq(personIndex.kind, kind), gt(personIndex.expiresAt, now)));
  return rows.map((r) => r.objectId);
}

/** An ended session leaves the index at once, so the console stops listing it. */
export async function forgetPersonObject(db: Database, kind: IndexedKind, objectId: string): Promise<void> {
  await db.delete(personIndex).where(and(eq(personIndex.kind, kind), eq(personIndex.objectId, objectId)));
}

export interface IndexedObject {
  objectId: string;
  /** Milliseconds since the epoch: when it was indexed, and when it ends by itself. */
  createdAt: number;
  expiresAt: number;
}

/** As personObjects, with when each began and ends, newest first (the operator console lists them). */
export async function personObjectEntries(db: Database, personId: string, kind: IndexedKind, now: number): Promise<IndexedObject[]> {
  return db
    .select({ objectId: personIndex.objectId, createdAt: personIndex.createdAt, expiresAt: personIndex.expiresAt })
    .from(personIndex)
    .where(and(eq(personIndex.personId, personId), eq(personIndex.kind, kind), gt(personIndex.expiresAt, now)))
    .orderBy(desc(personIndex.createdAt));
}
