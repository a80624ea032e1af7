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

type Row = typeof auditEvents.$inferInsert;

interface Waiter {
  row: Row;
  /** Undefined until the row's batch has been tried; then its failure, or null. */
  outcome?: Error | null;
}

export function createAuditSink(db: Database, now: () => number, maxBatch: number = MAX_AUDIT_BATCH): AuditSink {
  const queue: Waiter[] = [];
  let inflight: Promise<void> | null = null;

  function startBatch(): Promise<void> {
    const batch = queue.splice(0, maxBatch);
    const settle = (outcome: Error | null) => {
      for (const w of batch) w.outcome = outcome;
    };
    // Inside a then, so even a synchronous throw settles the batch.
    const current: Promise<void> = Promise.resolve()
      .then(() => db.insert(auditEvents).values(batch.map((w) => w.row)))
      .then(
        () => settle(null),
        (err: unknown) => settle(err instanceof Error ? err : new Error(String(err))),
      )
      .then(() => {
        if (inflight === current) inflight = null;
      });
    inflight = current;
    return current;
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
      while (waiter.outcome === undefined) await (inflight ?? startBatch());
      if (waiter.outcome) throw waiter.outcome;
    },
  };
}
