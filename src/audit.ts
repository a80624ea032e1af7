// Writes audit events to the directory's append-only log, with group commit:
// while one insert is in flight, events that arrive wait and then go together
// in one multi-row insert. An idle service writes each event at once; a busy
// one pays one libSQL round trip per batch instead of one per event (issue 5:
// the per-event insert was the largest cost of a client_credentials request).
//
// Every caller still learns when its own event is stored (or failed), so a
// caller that awaits record() keeps its guarantee. Callers only ever await the
// shared insert's promise and never settle one another's: on Workers a promise
// settled from another request's context may be cancelled with it, while
// awaiting a promise that another request's I/O settles is supported.
import { auditEvents } from '../schema/audit.ts';
import type { AuditEvent, AuditSink, Database } from './ports.ts';

/** Rows per insert: 8 bound values each, well under SQLite's variable limit. */
export const MAX_AUDIT_BATCH = 200;
/**
 * How long a batch may stay unsettled before its waiters give up on it: well
 * past the database's own timeout, for the case where the request that started
 * the insert was cancelled and its continuation will never run.
 */
export const AUDIT_STALL_MS = 15_000;

type Row = typeof auditEvents.$inferInsert;

interface Waiter {
  row: Row;
  /** Undefined until the row's batch has been tried; then its failure, or null. */
  outcome?: Error | null;
}

interface Batch {
  waiters: Waiter[];
  done: Promise<void>;
  startedAt: number;
}

export interface AuditSinkOptions {
  maxBatch?: number;
  stallMs?: number;
}

export function createAuditSink(db: Database, now: () => number, options: AuditSinkOptions = {}): AuditSink {
  const maxBatch = options.maxBatch ?? MAX_AUDIT_BATCH;
  const stallMs = options.stallMs ?? AUDIT_STALL_MS;
  const queue: Waiter[] = [];
  let inflight: Batch | null = null;

  function settle(batch: Batch, outcome: Error | null): void {
    for (const w of batch.waiters) w.outcome ??= outcome;
    if (inflight === batch) inflight = null;
  }

  function startBatch(): Batch {
    const waiters = queue.splice(0, maxBatch);
    const batch: Batch = { waiters, done: Promise.resolve(), startedAt: Date.now() };
    // Inside a then, so even a synchronous throw settles the batch.
    batch.done = Promise.resolve()
      .then(() => db.insert(auditEvents).values(waiters.map((w) => w.row)))
      .then(
        () => settle(batch, null),
        (err: unknown) => settle(batch, err instanceof Error ? err : new Error(String(err))),
      );
    inflight = batch;
    return batch;
  }

  /** Waits for `batch`, or until it has stalled; then the batch is given up. */
  async function waitFor(batch: Batch): Promise<void> {
    const left = batch.startedAt + stallMs - Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), Math.max(0, left))));
    const result = await Promise.race([batch.done, stalled]);
    clearTimeout(timer);
    if (result === 'stalled') settle(batch, new Error('audit insert did not finish'));
  }

  return {
    async record(event: AuditEvent) {
      const waiter: Waiter = {
        row: {
          at: now(),
          actor: event.actor,
          action: event.action,
          subject: event.subject ?? null,
          clientId: event.clientId ?? null,
          outcome: event.outcome,
          details: event.details ?? {},
          requestId: event.requestId ?? null,
        },
      };
      queue.push(waiter);
      // Each pass either writes a batch holding this row or waits out one that does not.
      while (waiter.outcome === undefined) await waitFor(inflight ?? startBatch());
      if (waiter.outcome) throw waiter.outcome;
    },
  };
}
