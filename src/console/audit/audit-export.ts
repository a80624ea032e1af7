// The audit log as CSV: the events the filters select, newest first, read page
// by page through the same query as GET /admin/audit, up to EXPORT_MAX_ROWS.
// Every field is quoted and guarded against formula injection (csv.ts): actors,
// subjects and details can carry text that people typed, such as a username.
import { queryAudit, type AuditEventView, type AuditFilter } from '../../admin/audit-query.ts';
import { MAX_AUDIT_PAGE } from '../../admin/audit.ts';
import type { Database } from '../../ports.ts';
import { toCsv, type CsvValue } from '../csv.ts';

/** A spreadsheet's worth; a wider export is the admin API's job, page by page. */
export const EXPORT_MAX_ROWS = 10_000;

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor', 'action', 'subject', 'client_id', 'outcome', 'details', 'request_id'] as const;

export const auditCsvRow = (e: AuditEventView): CsvValue[] => [e.id, e.at, e.actor, e.action, e.subject, e.client_id, e.outcome, JSON.stringify(e.details), e.request_id];

export interface AuditExport {
  csv: string;
  rows: number;
  /** More events matched than EXPORT_MAX_ROWS. */
  truncated: boolean;
}

export async function exportAudit(db: Database, filter: Omit<AuditFilter, 'limit' | 'before'>, maxRows = EXPORT_MAX_ROWS): Promise<AuditExport> {
  const events: AuditEventView[] = [];
  let before: number | undefined;
  for (;;) {
    const limit = Math.min(MAX_AUDIT_PAGE, maxRows - events.length);
    const page = await queryAudit(db, { ...filter, limit, before });
    events.push(...page.events);
    if (!page.nextCursor || page.events.length === 0) return { csv: toCsv(AUDIT_CSV_HEADER, events.map(auditCsvRow)), rows: events.length, truncated: false };
    if (events.length >= maxRows) return { csv: toCsv(AUDIT_CSV_HEADER, events.map(auditCsvRow)), rows: events.length, truncated: true };
    before = page.events.at(-1)!.id;
  }
}
