// The back-channel logout queue where no Durable Object keeps it (the Deno
// entry): an outbox table in libSQL, one row per ended session and client, and
// a drain that the runtime calls on a timer. A row is claimed by moving its
// next_at ahead with a compare-and-set before the attempt, so two instances
// draining at once do not both deliver it; a crash mid-attempt leaves the row
// to be tried again once the claim lapses, and a logout token is idempotent.
import { and, asc, eq, lte } from 'drizzle-orm';
import { backchannelOutbox } from '../../schema/backchannel-outbox.ts';
import type { Database } from '../ports.ts';
import { attemptBackchannelLogout, DELIVERY_TIMEOUT_MS, type DeliveryPorts } from './backchannel-delivery.ts';
import type { BackchannelLogoutQueue } from './backchannel-queue.ts';

/** Longer than one attempt can take, so a claim outlives the attempt it covers. */
const CLAIM_MS = DELIVERY_TIMEOUT_MS * 6;
/** Deliveries one drain takes on, so a backlog does not stall the timer. */
const DRAIN_BATCH = 50;

export function createOutboxQueue(db: Database): BackchannelLogoutQueue {
  return {
    async enqueue(logout, now) {
      if (logout.clientIds.length === 0) return;
      // Queuing the same session twice notifies each client once (the primary key).
      await db
        .insert(backchannelOutbox)
        .values(
          logout.clientIds.map((clientId) => ({
            sessionId: logout.sessionId,
            clientId,
            personId: logout.personId,
            subject: logout.subject,
            reason: logout.reason,
            nextAt: now,
            createdAt: now,
          })),
        )
        .onConflictDoNothing();
    },
  };
}

/** Attempts every due delivery once; answers how many were attempted. */
export async function drainOutbox(ports: DeliveryPorts & { db: Database }, limit = DRAIN_BATCH): Promise<number> {
  const { db } = ports;
  const now = ports.now();
  const due = await db.select().from(backchannelOutbox).where(lte(backchannelOutbox.nextAt, now)).orderBy(asc(backchannelOutbox.nextAt)).limit(limit);
  let attempted = 0;
  await Promise.all(
    due.map(async (row) => {
      const key = and(eq(backchannelOutbox.sessionId, row.sessionId), eq(backchannelOutbox.clientId, row.clientId));
      const claim = await db
        .update(backchannelOutbox)
        .set({ nextAt: now + CLAIM_MS })
        .where(and(key, eq(backchannelOutbox.nextAt, row.nextAt)));
      if (claim.rowsAffected !== 1) return;
      attempted++;
      const outcome = await attemptBackchannelLogout(ports, {
        sessionId: row.sessionId,
        personId: row.personId,
        subject: row.subject,
        clientId: row.clientId,
        attempt: row.attempts + 1,
      });
      if (outcome.done) await db.delete(backchannelOutbox).where(key);
      else await db.update(backchannelOutbox).set({ attempts: row.attempts + 1, nextAt: outcome.retryAt }).where(key);
    }),
  );
  return attempted;
}
