// The console overview's figures: for each of the last 24 hours, successful
// sign-ins by method and assurance level, failed sign-ins, and locks, read from
// the audit log in one aggregate query (docs/assurance.md: every `signin` event
// records `method` and `level`; lockouts write `person.locked`, `pair.locked`
// or `address.locked`).
import { and, gte, inArray, lte, sql } from 'drizzle-orm';
import { auditEvents } from '../../../schema/audit.ts';
import type { Database } from '../../ports.ts';

export const HOUR_MS = 3_600_000;
export const ACTIVITY_HOURS = 24;

/** The method of a success whose event did not say. */
export const UNRECORDED = 'unrecorded';

const LOCK_ACTIONS = ['person.locked', 'pair.locked', 'address.locked'] as const;

/** One kind of successful sign-in: how (method) and how strongly (level, 1–3). */
export interface SignInSeries {
  method: string;
  level: number;
}

export interface HourActivity {
  /** Start of the hour, ms since the epoch (UTC). */
  start: number;
  /** Successful sign-ins, in the order of SignInActivity.series. */
  signIns: number[];
  failures: number;
  locks: number;
}

export interface SignInActivity {
  /** Inclusive start of the first hour, ms since the epoch. */
  from: number;
  /** Inclusive end: the time the figures were read. */
  to: number;
  /** Every method and level seen in the window, strongest first. */
  series: SignInSeries[];
  hours: HourActivity[];
}

// Strongest first, so the chart and table read from the passkey at AAL3 down.
const METHOD_ORDER = ['passkey', 'password_totp', 'password'];
const bySeries = (a: SignInSeries, b: SignInSeries) =>
  b.level - a.level || rank(a.method) - rank(b.method) || a.method.localeCompare(b.method);
const rank = (method: string) => {
  const i = METHOD_ORDER.indexOf(method);
  return i === -1 ? METHOD_ORDER.length : i;
};

/** The 24 whole UTC hours ending with the current one (which is partly over). */
export function activityWindow(now: number): { from: number; to: number } {
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { from: currentHour - (ACTIVITY_HOURS - 1) * HOUR_MS, to: now };
}

export async function readSignInActivity(db: Database, now: number): Promise<SignInActivity> {
  const { from, to } = activityWindow(now);
  // Integer division of the stored milliseconds by a literal: the hour bucket,
  // computed in SQL so only one row per hour and kind comes back.
  const hour = sql<number>`(${auditEvents.at} / ${sql.raw(String(HOUR_MS))})`;
  const method = sql<string | null>`json_extract(${auditEvents.details}, '$.method')`;
  const level = sql<number | null>`json_extract(${auditEvents.details}, '$.level')`;
  const rows = await db
    .select({ hour, action: auditEvents.action, outcome: auditEvents.outcome, method, level, count: sql<number>`count(*)` })
    .from(auditEvents)
    .where(and(gte(auditEvents.at, from), lte(auditEvents.at, to), inArray(auditEvents.action, ['signin', ...LOCK_ACTIONS])))
    .groupBy(hour, auditEvents.action, auditEvents.outcome, method, level);

  // A success recorded without method or level (none should be) is still counted, as its own series.
  const seriesOf = (row: { method: unknown; level: unknown }): SignInSeries => ({
    method: typeof row.method === 'string' ? row.method : UNRECORDED,
    level: typeof row.level === 'number' ? row.level : 0,
  });
  const seriesKey = (s: SignInSeries) => `${s.method}\u0000${s.level}`;
  const series = new Map<string, SignInSeries>();
  for (const row of rows) {
    if (row.action === 'signin' && row.outcome === 'success') series.set(seriesKey(seriesOf(row)), seriesOf(row));
  }
  const ordered = [...series.values()].sort(bySeries);
  const index = new Map(ordered.map((s, i) => [seriesKey(s), i]));
  const firstHour = from / HOUR_MS;
  const hours: HourActivity[] = Array.from({ length: ACTIVITY_HOURS }, (_, i) => ({
    start: from + i * HOUR_MS,
    signIns: ordered.map(() => 0),
    failures: 0,
    locks: 0,
  }));
  for (const row of rows) {
    const bucket = hours[Number(row.hour) - firstHour];
    if (!bucket) continue;
    const count = Number(row.count);
    if (row.action !== 'signin') bucket.locks += count;
    else if (row.outcome === 'failure') bucket.failures += count;
    else bucket.signIns[index.get(seriesKey(seriesOf(row)))!]! += count;
  }
  return { from, to, series: ordered, hours };
}
