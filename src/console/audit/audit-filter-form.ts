// The console's audit filters, read from the page's GET form into the same
// AuditFilter that GET /admin/audit uses (src/admin/audit-query.ts). A form sends
// empty fields for blank inputs and datetime-local times without an offset: the
// console reads blanks as absent and times as UTC, as its hint says.
import { z } from 'zod';
import { decodeCursor, type AuditFilter } from '../../admin/audit-query.ts';
import { MAX_AUDIT_PAGE } from '../../admin/audit.ts';
import type { PageError } from '../../pages/error-summary.tsx';

export const PAGE_SIZES = [25, 50, 100, MAX_AUDIT_PAGE] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** What the form shows back: the fields as they were typed. */
export interface AuditFormValues {
  person: string;
  client: string;
  action: string;
  outcome: string;
  since: string;
  until: string;
  limit: string;
}

const FIELDS = ['person', 'client', 'action', 'outcome', 'since', 'until', 'limit'] as const;

const blankIsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

// datetime-local ("2026-12-07T14:25", seconds optional) as UTC, or a full ISO 8601 time with its offset.
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const time = z
  .string()
  .max(40)
  .refine((t) => LOCAL_TIME.test(t) || z.iso.datetime({ offset: true }).safeParse(t).success, 'Enter a date and time, for example 2026-12-07T14:25')
  .transform((t) => Date.parse(LOCAL_TIME.test(t) ? `${t}Z` : t))
  .refine((ms) => Number.isFinite(ms), 'Enter a real date and time');

const schema = z.object({
  person: blankIsAbsent(z.string().trim().min(1).max(64, 'Enter at most 64 characters')),
  client: blankIsAbsent(z.string().trim().min(1).max(256, 'Enter at most 256 characters')),
  action: blankIsAbsent(z.string().trim().min(1).max(64, 'Enter at most 64 characters')),
  outcome: blankIsAbsent(z.enum(['success', 'failure'], 'Choose success, failure or any outcome')),
  since: blankIsAbsent(time),
  until: blankIsAbsent(time),
  limit: blankIsAbsent(z.enum(PAGE_SIZES.map(String) as [string, ...string[]], 'Choose a page size from the list').transform(Number)),
  cursor: blankIsAbsent(z.string().max(64)),
});

export type AuditFormResult =
  | { ok: true; values: AuditFormValues; filter: AuditFilter; cursor: string | undefined }
  | { ok: false; values: AuditFormValues; errors: PageError[] };

/** Reads the query; a repeated or malformed field is an error on the form, never a 500. */
export function readAuditForm(params: URLSearchParams): AuditFormResult {
  const raw: Record<string, string> = {};
  for (const name of [...FIELDS, 'cursor'] as const) raw[name] = (params.get(name) ?? '').slice(0, 512);
  const values = Object.fromEntries(FIELDS.map((f) => [f, raw[f]!])) as unknown as AuditFormValues;
  const repeated = [...FIELDS, 'cursor'].find((f) => params.getAll(f).length > 1);
  if (repeated) return { ok: false, values, errors: [{ text: `Give ${repeated} once`, field: repeated }] };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ text: issue.message, field: String(issue.path[0] ?? '') }));
    return { ok: false, values, errors: errors.filter((e, i) => errors.findIndex((x) => x.field === e.field) === i) };
  }
  const { cursor, limit, ...filter } = parsed.data;
  const before = cursor === undefined ? undefined : decodeCursor(cursor);
  if (before === null) return { ok: false, values, errors: [{ text: 'That page link is not one the console made: start again from the newest events' }] };
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    return { ok: false, values, errors: [{ text: 'The "to" time must be after the "from" time', field: 'until' }] };
  }
  return { ok: true, values, filter: { ...filter, limit: limit ?? DEFAULT_PAGE_SIZE, before }, cursor };
}

/** The query string for these filters (blank fields left out), with extra parameters such as a cursor. */
export function auditQueryString(values: AuditFormValues, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const f of FIELDS) if (values[f]) query.set(f, values[f]);
  for (const [k, v] of Object.entries(extra)) query.set(k, v);
  const text = query.toString();
  return text ? `?${text}` : '';
}
