// Writes audit events to the directory's append-only log. Two kinds, stated once
// here rather than at each call:
//
// - Must-write events (authentication and its failures, role choice, revocation,
//   refresh and code reuse, locks and unlocks, logout, enrolment, administration):
//   record() inserts the row in the caller's own request and resolves once it is
//   stored, or throws. The caller answers only after that. A caller that writes
//   in the same request may instead put the row in its own transaction
//   (auditInsert), so that both are stored in one round trip or neither is.
// - Best-effort events (BEST_EFFORT_ACTIONS): a token issued after an audited
//   authentication, a failed client authentication, a back-channel delivery
//   attempt. record() adds the row to a buffer. The next must-write insert takes
//   the buffered rows along in its own statement, so on a busy service they cost
//   no round trip of their own; what no must-write takes within CARRY_MS goes in
//   a flush. The first best-effort caller that finds no flush running starts one
//   in its own request and gets its promise back (to hand to waitUntil through
//   defer); later callers only add their row and resolve at once. A flush waits
//   CARRY_MS once, then drains the buffer in multi-row inserts.
//
// On Workers a promise settled from another request's context may be cancelled
// with it, and one request's I/O may not be used from another: so no caller waits
// on another's promise, every insert is a fetch of the request that makes it
// (a row in the buffer is plain data), and no timer is set per event (one per
// flush). A flush hands over after FLUSH_HANDOFF_MS (well inside waitUntil's 30 s)
// so that no request's context carries the buffer forever; one whose request was
// cancelled is taken as dead after AUDIT_STALL_MS, its batch in flight is lost
// (that is what best effort means) and the rows still buffered go with the next
// insert.
//
// The insert is one prepared SQL text per batch size, sent through the libSQL
// client directly: building it with drizzle was a visible share of a
// client_credentials request's CPU.
import type { Client, InArgs, InStatement } from '@libsql/client';
import type { AuditEvent, AuditSink, Database } from './ports.ts';

/** Actions whose record may be lost in a failure: each follows an event stored first, or is repeated by its sender. */
export const BEST_EFFORT_ACTIONS: ReadonlySet<string> = new Set(['token.issue', 'client.authenticate', 'logout.backchannel']);

/** Rows per insert: 8 bound values each, well under SQLite's variable limit. */
export const MAX_AUDIT_BATCH = 200;
/** A flush running longer than this is taken to belong to a cancelled request. */
export const AUDIT_STALL_MS = 15_000;
/** A flush stops taking new batches after this long; the next best-effort event starts another. */
export const FLUSH_HANDOFF_MS = 5_000;
/** How long a best-effort row waits for a must-write insert to take it along before a flush writes it. */
export const CARRY_MS = 100;

const COLUMNS = '(at, actor, action, subject, client_id, outcome, details, request_id)';
const PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?)';
const statements = new Map<number, string>();

function insertSql(rows: number): string {
  let sql = statements.get(rows);
  if (!sql) {
    sql = `INSERT INTO audit_events ${COLUMNS} VALUES ${Array<string>(rows).fill(PLACEHOLDERS).join(', ')}`;
    statements.set(rows, sql);
  }
  return sql;
}

type Row = (string | number | null)[];

function rowOf(event: AuditEvent, at: number): Row {
  return [
    at,
    event.actor,
    event.action,
    event.subject ?? null,
    event.clientId ?? null,
    event.outcome,
    JSON.stringify(event.details ?? {}),
    event.requestId ?? null,
  ];
}

/**
 * A must-write event as a statement of the caller's own libSQL batch (a
 * transaction): stored with the caller's writes or not at all. With
 * `whenPreviousChanged`, the row is inserted only if the batch's previous
 * statement changed exactly one row (SQLite changes()), e.g. the update that
 * spends a one-time value; changes() then says whether this row went in.
 */
export function auditInsert(event: AuditEvent, at: number, whenPreviousChanged = false): InStatement {
  const args = rowOf(event, at) as InArgs;
  if (!whenPreviousChanged) return { sql: insertSql(1), args };
  return { sql: `INSERT INTO audit_events ${COLUMNS} SELECT ${PLACEHOLDERS.slice(1, -1)} WHERE changes() = 1`, args };
}

export interface AuditSinkOptions {
  maxBatch?: number;
  stallMs?: number;
  handoffMs?: number;
  carryMs?: number;
}

export function createAuditSink(db: Database, now: () => number, options: AuditSinkOptions = {}): AuditSink {
  const maxBatch = options.maxBatch ?? MAX_AUDIT_BATCH;
  const stallMs = options.stallMs ?? AUDIT_STALL_MS;
  const handoffMs = options.handoffMs ?? FLUSH_HANDOFF_MS;
  const carryMs = options.carryMs ?? CARRY_MS;
  const buffer: Row[] = [];
  let flushing: { startedAt: number } | null = null;

  // drizzle(client) keeps the libSQL client it wraps as $client.
  const client = (db as Database & { $client: Pick<Client, 'execute'> }).$client;
  const insert = async (rows: Row[]): Promise<void> => {
    await client.execute({ sql: insertSql(rows.length), args: rows.flat() as InArgs });
  };

  async function flush(): Promise<void> {
    const mine = { startedAt: Date.now() };
    flushing = mine;
    try {
      // The flush's one timer: meanwhile a must-write insert may take the rows along.
      if (carryMs > 0) await new Promise((resolve) => setTimeout(resolve, carryMs));
      // One error ends this flush; what is left waits for the next one.
      while (buffer.length > 0 && Date.now() - mine.startedAt < handoffMs) await insert(buffer.splice(0, maxBatch));
    } finally {
      // In the same turn as the emptiness check, so no row is left behind a flush that has ended.
      if (flushing === mine) flushing = null;
    }
  }

  return {
    async record(event: AuditEvent) {
      const row = rowOf(event, now());
      if (BEST_EFFORT_ACTIONS.has(event.action)) {
        buffer.push(row);
        if (flushing && Date.now() - flushing.startedAt < stallMs) return;
        return flush();
      }
      // Buffered best-effort rows (older, so first) ride along in the same insert.
      const carried = buffer.splice(0, maxBatch - 1);
      try {
        await insert([...carried, row]);
      } catch (err) {
        buffer.unshift(...carried);
        throw err;
      }
    },
  };
}
