// /console/audit: the audit query with its filters and paging (the same query
// as GET /admin/audit), and /console/audit/export, the same selection as CSV.
// An export takes the log out of the service, so it is itself audited
// (audit.export, with the filters and the row count) in the operator's name.
import { Hono } from 'hono';
import { queryAudit } from '../../admin/audit-query.ts';
import { renderPage } from '../../pages/layout.tsx';
import { auditConsoleAction } from '../console-audit.ts';
import type { ConsoleEnv } from '../context.ts';
import { layoutProps } from '../layout.tsx';
import { readAuditForm } from './audit-filter-form.ts';
import { exportAudit } from './audit-export.ts';
import { AuditPage } from './audit-page.tsx';
import { CONSOLE, under } from '../../paths.ts';

/** e.g. audit-2026-12-07T1425Z.csv */
const fileName = (now: number) => `audit-${new Date(now).toISOString().slice(0, 16).replace(':', '')}Z.csv`;

export const auditRoutes = new Hono<ConsoleEnv>()
  .get(under(CONSOLE.mount, CONSOLE.audit), async (c) => {
    const form = readAuditForm(new URL(c.req.url).searchParams);
    if (!form.ok) return renderPage(c, AuditPage({ ...layoutProps(c), values: form.values, errors: form.errors, events: null, nextCursor: null, paged: false }), 400);
    const page = await queryAudit(c.var.ports.db, form.filter);
    return renderPage(c, AuditPage({ ...layoutProps(c), values: form.values, errors: [], events: page.events, nextCursor: page.nextCursor, paged: form.cursor !== undefined }));
  })
  .get(under(CONSOLE.mount, CONSOLE.auditExport), async (c) => {
    const form = readAuditForm(new URL(c.req.url).searchParams);
    if (!form.ok) return renderPage(c, AuditPage({ ...layoutProps(c), values: form.values, errors: form.errors, events: null, nextCursor: null, paged: false }), 400);
    const { limit: _limit, before: _before, ...filter } = form.filter;
    const result = await exportAudit(c.var.ports.db, filter);
    await auditConsoleAction(c, {
      action: 'audit.export',
      details: { filter: Object.fromEntries(Object.entries(form.values).filter(([k, v]) => v !== '' && k !== 'limit')), rows: result.rows, truncated: result.truncated },
    });
    return c.body(result.csv, 200, {
      // RFC 4180 §3 (text/csv with header=present); RFC 6266 for the file name.
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${fileName(c.var.ports.now())}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });
