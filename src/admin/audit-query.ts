// Reads the audit log for GET /admin/audit (docs/assurance.md, "Audit queries"): newest first, with
// filters, paged by an opaque cursor that carries the id of the last event
// shown, so paging stays stable while new events arrive.
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditEvents } from '../../schema/audit.ts';
import type { Database } from '../ports.ts';
import { base64url, fromBase64url } from '../secrets.ts';

export interface AuditFilter {
  /** The person the event is about (its subject). */
  person?: string;
  client?: string;
  action?: string;
  outcome?: 'success' | 'failure';
  /** Milliseconds since the epoch: at or after. */
  since?: number;
  /** Milliseconds since the epoch: before. */
  until?: number;
  limit: number;
  /** Events older than the one this cursor names. */
  before?: number;
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  client_id: string | null;
  outcome: string;
  details: Record<string, unknown>;
  request_id: string | null;
}

const CURSOR_PREFIX = 'a1:';

export function encodeCursor(id: number): string {
  return base64url(new TextEncoder().encode(`${CURSOR_PREFIX}${id}`));
}

/** The event id a cursor names; null when it is not one this service made. */
export function decodeCursor(cursor: string): number | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(cursor));
    const m = /^a1:(\d{1,15})$/.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export async function queryAudit(db: Database, filter: AuditFilter): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const conditions: (SQL | undefined)[] = [
    filter.person !== undefined ? eq(auditEvents.subject, filter.person) : undefined,
    filter.client !== undefined ? eq(auditEvents.clientId, filter.client) : undefined,
    filter.action !== undefined ? eq(auditEvents.action, filter.action) : undefined,
    filter.outcome !== undefined ? eq(auditEvents.outcome, filter.outcome) : undefined,
    filter.since !== undefined ? gte(auditEvents.at, filter.since) : undefined,
    filter.until !== undefined ? lt(auditEvents.at, filter.until) : undefined,
    filter.before !== undefined ? lt(auditEvents.id, filter.before) : undefined,
  ];
  // One more than asked for says whether another page exists.
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    events: page.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      client_id: r.clientId,
      outcome: r.outcome,
      details: r.details,
      request_id: r.requestId,
    })),
    nextCursor: rows.length > filter.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
