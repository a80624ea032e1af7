// The audit log in the console: the GET /admin/audit query with its filters and
// cursor paging as a bookmarkable form, refusals of bad filters on the page (400,
// never 500), and the CSV export: RFC 4180 quoting, formula-injection safe, and
// itself audited in the operator's name.
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { exportAudit } from '../../../src/console/audit/audit-export.ts';
import type { Browser } from '../../support/worker/browser.ts';
import { consoleSignIn, enrolOperator } from '../../support/worker/console.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import type { EnrolledPasskey } from '../../support/webauthn/enrolment.ts';

let operator: EnrolledPasskey;
let browser: Browser;
const ACTION = `test.console.${crypto.randomUUID().slice(0, 8)}`;
const T0 = Date.UTC(2026, 5, 1, 9, 0);
const MINUTE = 60_000;

beforeAll(async () => {
  operator = await enrolOperator();
  const signedIn = await consoleSignIn(operator, '/console/audit');
  expect(signedIn.response.status).toBe(200);
  browser = signedIn.browser;
  // 30 events a minute apart: even ones succeed, every third names a client.
  await testDatabase()
    .insert(auditEvents)
    .values(
      Array.from({ length: 30 }, (_, i) => ({
        at: T0 + i * MINUTE,
        actor: i === 29 ? '=HYPERLINK("http://evil.example","open")' : `actor-${i}`,
        action: ACTION,
        subject: `person-${i % 2}`,
        clientId: i % 3 === 0 ? 'client-three' : null,
        outcome: i % 2 === 0 ? 'success' : 'failure',
        details: { n: i, note: i === 28 ? '+SUM(1,2)' : 'plain, "quoted"' },
      })),
    );
});

const page = async (query: string) => {
  const res = await browser.fetch(`/console/audit?${query}`);
  return { status: res.status, text: await res.text() };
};
const eventIds = (html: string) => [...html.matchAll(/data-event-id="(\d+)"/g)].map((m) => Number(m[1]));
const ns = async (ids: number[]) => {
  const rows = await testDatabase().select().from(auditEvents).where(eq(auditEvents.action, ACTION));
  return ids.map((id) => (rows.find((r) => r.id === id)!.details as { n: number }).n);
};

describe('the audit log page', () => {
  it('shows the events the filters select, newest first, with the filters kept in the form', async () => {
    const res = await page(`action=${ACTION}&outcome=failure&person=person-1`);
    expect(res.status).toBe(200);
    expect(await ns(eventIds(res.text))).toEqual([29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
    expect(res.text).toContain(`value="${ACTION}"`);
    expect(res.text).toMatch(/<option value="failure" selected="">Failure<\/option>/);
    expect(res.text).toMatch(/<a [^>]*href="\/console\/audit" aria-current="page"/);
    // An actor that looks like markup is shown as text.
    expect(res.text).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;open&quot;)');
  });

  it('filters by client, and by a UTC time range from datetime-local fields (since inclusive, until exclusive)', async () => {
    expect(await ns(eventIds((await page(`action=${ACTION}&client=client-three`)).text))).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
    const range = await page(`action=${ACTION}&since=2026-06-01T09:10&until=2026-06-01T09:13`);
    expect(await ns(eventIds(range.text))).toEqual([12, 11, 10]);
  });

  it('reads a filter left as spaces as no filter, as a blank one', async () => {
    const res = await page(`action=${ACTION}&person=%20%20&limit=25`);
    expect(res.status).toBe(200);
    expect(eventIds(res.text)).toHaveLength(25);
  });

  it('pages with the cursor: older events follow without overlap, and a link returns to the newest', async () => {
    const first = await page(`action=${ACTION}&limit=25`);
    const firstIds = eventIds(first.text);
    expect(firstIds).toHaveLength(25);
    const older = /href="(\/console\/audit\?[^"]*cursor=[^"]+)" rel="next"/.exec(first.text)?.[1]?.replaceAll('&amp;', '&');
    expect(older).toBeDefined();
    expect(first.text).not.toContain('Newest events');
    const second = await browser.fetch(older!);
    const secondHtml = await second.text();
    expect(await ns(eventIds(secondHtml))).toEqual([4, 3, 2, 1, 0]);
    expect(secondHtml).toContain('Newest events');
    expect(secondHtml).not.toContain('rel="next"');
  });

  it.each([
    ['a time that is not one', 'since=yesterday', 'since'],
    ['an outcome that is neither', 'outcome=maybe', 'outcome'],
    ['a page size not offered', 'limit=7', 'limit'],
    ['a range that ends before it starts', 'since=2026-06-02T00:00&until=2026-06-01T00:00', 'until'],
    ['a repeated filter', 'action=a&action=b', 'action'],
  ])('refuses %s on the page with 400 and the error summary, never a 500', async (_, query, field) => {
    const res = await page(query);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>Error: Audit log/);
    expect(res.text).toContain(`<a href="#${field}">`);
    expect(eventIds(res.text)).toEqual([]);
  });

  it('refuses a cursor the console did not make', async () => {
    const res = await page('cursor=bm90LWEtY3Vyc29y');
    expect(res.status).toBe(400);
    expect(res.text).toContain('That page link is not one the console made');
  });
});

describe('the CSV export (RFC 4180)', () => {
  it('downloads the selected events as quoted CSV with a header, formula-looking text neutralised, and audits the export', async () => {
    const res = await browser.fetch(`/console/audit/export?action=${ACTION}&person=person-0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}T\d{4}Z\.csv"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('"id","at","actor","action","subject","client_id","outcome","details","request_id"');
    expect(lines).toHaveLength(1 + 15 + 1);
    expect(lines.at(-1)).toBe('');
    // Event 28: its details begin with { but hold "+SUM": only a field's first character matters.
    expect(lines[1]).toMatch(/^"\d+","2026-06-01T09:28:00\.000Z","actor-28","test\.console\.\w+","person-0","","success","\{""n"":28,""note"":""\+SUM\(1,2\)""\}",""$/);
    // JSON escapes the inner quotes, then CSV doubles every quote (RFC 4180 §2.7).
    expect(lines[2]).toContain(String.raw`"{""n"":26,""note"":""plain, \""quoted\""""}"`);
    const [event] = await testDatabase()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'audit.export'), eq(auditEvents.actor, operator.person.id)));
    expect(event).toMatchObject({ outcome: 'success', details: { via: 'console', rows: 15, truncated: false, filter: { action: ACTION, person: 'person-0' } } });
  });

  it('prefixes an actor that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)', async () => {
    const text = await (await browser.fetch(`/console/audit/export?action=${ACTION}&person=person-1&outcome=failure`)).text();
    const line = text.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""open"")"`);
  });

  it('stops at the row limit and says it did; exactly the limit is not truncated', async () => {
    const cut = await exportAudit(testDatabase(), { action: ACTION }, 20);
    expect(cut).toMatchObject({ rows: 20, truncated: true });
    expect(cut.csv.split('\r\n')).toHaveLength(1 + 20 + 1);
    expect(await exportAudit(testDatabase(), { action: ACTION }, 30)).toMatchObject({ rows: 30, truncated: false });
    // Every matching event, once.
    const all = await exportAudit(testDatabase(), { action: ACTION }, 1000);
    const ids = all.csv.split('\r\n').slice(1, -1).map((line) => Number(/^"(\d+)"/.exec(line)![1]));
    expect(new Set(ids).size).toBe(30);
  });

  it('refuses bad filters with the page, not a file', async () => {
    const res = await browser.fetch('/console/audit/export?until=soon');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
