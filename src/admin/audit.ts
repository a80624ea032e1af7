// GET /admin/audit (docs/assurance.md, "Audit queries"), with the admin token: the audit log,
// newest first. Query parameters: person (the subject's id), client, action,
// outcome (success | failure), since and until (ISO 8601 times), limit (1–200,
// default 50) and cursor (the next_cursor of the previous page).
// Answers {"events": [...], "next_cursor": string | null}.
import { Hono } from 'hono';
import { z } from 'zod';
import { invalidRequest } from '../errors.ts';
import { requireAdmin } from '../http/admin-auth.ts';
import { parseParams } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { decodeCursor, queryAudit } from './audit-query.ts';
import { ADMIN, under } from '../paths.ts';

export const MAX_AUDIT_PAGE = 200;

const time = z.iso.datetime({ offset: true }).transform((t) => Date.parse(t));
const auditQuery = z
  .object({
    person: z.string().min(1).max(64).optional(),
    client: z.string().min(1).max(256).optional(),
    action: z.string().min(1).max(64).optional(),
    outcome: z.enum(['success', 'failure']).optional(),
    since: time.optional(),
    until: time.optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'must be a number')
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_AUDIT_PAGE))
      .optional(),
    cursor: z.string().max(64).optional(),
  })
  .strict();

export const adminAuditRoutes = new Hono<AppEnv>()
  .get(under(ADMIN.mount, ADMIN.audit), requireAdmin, async (c) => {
    const query = parseParams(new URL(c.req.url).searchParams, auditQuery);
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (before === null) throw invalidRequest('cursor: not a cursor this service gave');
    const { cursor: _cursor, limit, ...filter } = query;
    const page = await queryAudit(c.var.ports.db, { ...filter, limit: limit ?? 50, before });
    return c.json({ events: page.events, next_cursor: page.nextCursor }, 200, { 'Cache-Control': 'no-store' });
  });
