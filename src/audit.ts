// Writes audit events to the directory's append-only log.
import { auditEvents } from '../schema/audit.ts';
import type { AuditEvent, AuditSink, Database } from './ports.ts';

export function createAuditSink(db: Database, now: () => number): AuditSink {
  return {
    async record(event: AuditEvent) {
      await db.insert(auditEvents).values({
        at: now(),
        actor: event.actor,
        action: event.action,
        subject: event.subject ?? null,
        clientId: event.clientId ?? null,
        outcome: event.outcome,
        details: event.details ?? {},
        requestId: event.requestId ?? null,
      });
    },
  };
}
