// The console overview: sign-ins of the last 24 hours by method and assurance
// level, failures and locks, from the audit log, as an accessible SVG chart
// (role="img" with <title> and <desc>) and the same figures in a table.
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { HOUR_MS } from '../../../src/console/overview/sign-in-activity.ts';
import type { Browser } from '../../support/worker/browser.ts';
import { consoleSignIn, enrolOperator } from '../../support/worker/console.ts';
import { testDatabase } from '../../support/worker/directory.ts';

let browser: Browser;
let html: string;
// Twelve hours back, where no other test writes: its row holds exactly what this file adds.
const HOUR = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 12 * HOUR_MS;
const label = (at: number) => new Date(at).toISOString().slice(11, 16);

beforeAll(async () => {
  const signedIn = await consoleSignIn(await enrolOperator(), '/console/overview');
  expect(signedIn.response.status).toBe(200);
  browser = signedIn.browser;
  const event = (minute: number, action: string, outcome: 'success' | 'failure', details: Record<string, unknown>) => ({
    at: HOUR + minute * 60_000,
    actor: 'overview-test',
    action,
    subject: 'overview-person',
    outcome,
    details,
  });
  await testDatabase()
    .insert(auditEvents)
    .values([
      event(1, 'signin', 'success', { method: 'passkey', level: 3, amr: ['FIDO2'] }),
      event(2, 'signin', 'success', { method: 'passkey', level: 3, amr: ['FIDO2'] }),
      event(3, 'signin', 'success', { method: 'passkey', level: 3, amr: ['FIDO2'] }),
      event(4, 'signin', 'success', { method: 'password_totp', level: 2, amr: ['PWD', 'TOTP'] }),
      event(5, 'signin', 'failure', { method: 'password', reason: 'wrong_password' }),
      event(6, 'signin', 'failure', { method: 'password', reason: 'wrong_password' }),
      event(7, 'signin', 'failure', { method: 'passkey', reason: 'verification_failed' }),
      event(8, 'person.locked', 'success', { method: 'password', failures: 10 }),
      event(9, 'token.issue', 'success', { method: 'passkey', level: 3 }),
    ]);
  html = await (await browser.fetch('/console/overview')).text();
});

/** The table's row for the hour starting at `start`, as header → figure. */
function tableRow(start: number): Record<string, string> {
  const table = /<table class="nhsuk-table">.*?<\/table>/s.exec(html)![0];
  const headers = [.../<thead.*?<\/thead>/s.exec(table)![0].matchAll(/<th [^>]*>([^<]*)<\/th>/g)].map((m) => m[1]!);
  const row = new RegExp(`<tr><th scope="row" class="app-nowrap">${label(start)}–${label(start + HOUR_MS)}</th>(.*?)</tr>`).exec(table)![1]!;
  const cells = [...row.matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => m[1]!);
  return Object.fromEntries(headers.slice(1).map((h, i) => [h, cells[i]!]));
}

describe('the console overview', () => {
  it('tabulates each hour: successes by method and level, all successes, failures and locks', () => {
    const row = tableRow(HOUR);
    expect(row).toMatchObject({ 'Passkey, AAL3': '3', 'Password and authenticator app, AAL2': '1', 'All successful': '4', Failed: '3', Locks: '1' });
    // Series with nothing in this hour still have a cell, each 0.
    for (const [name, value] of Object.entries(row)) if (!['Passkey, AAL3', 'Password and authenticator app, AAL2', 'All successful', 'Failed', 'Locks'].includes(name)) expect(value).toBe('0');
  });

  it('draws both charts as images named by a title and described, with a legend in words (WCAG 1.1.1, 1.4.1)', () => {
    const charts = [...html.matchAll(/<svg class="app-chart"[^>]*>.*?<\/svg>/gs)].map((m) => m[0]);
    expect(charts).toHaveLength(2);
    for (const svg of charts) {
      expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="(\S+)-title \1-desc"/);
      expect(svg).toMatch(/<title id="[^"]+-title">[^<]+<\/title><desc id="[^"]+-desc">[^<]+<\/desc>/);
    }
    expect(charts[0]).toContain('Successful sign-ins per hour, by method and assurance level');
    expect(charts[0]).toContain('>Passkey, AAL3</text>');
    expect(charts[0]).toMatch(/<rect class="app-chart__bar" data-series="\d+"/);
    expect(charts[1]).toContain('>Failed sign-ins</text>');
    expect(charts[1]).toContain('>Locks</text>');
  });

  it('states the totals, at least what this file added, and marks Overview as the current page', () => {
    const total = (name: string) => Number(new RegExp(`data-total="${name}">(\\d+)<`).exec(html)![1]);
    expect(total('signins')).toBeGreaterThanOrEqual(4);
    expect(total('failures')).toBeGreaterThanOrEqual(3);
    expect(total('locks')).toBeGreaterThanOrEqual(1);
    expect(html).toMatch(/<a [^>]*href="\/console\/overview" aria-current="page"/);
    expect(html).toMatch(/<title>Overview – Operator console/);
  });

  it('answers POST with 405', async () => {
    const page = await (await browser.fetch('/console/overview')).text();
    const token = /name="csrf_token" value="([^"]+)"/.exec(page)![1]!;
    expect((await browser.postForm('/console/overview', { csrf_token: token })).status).toBe(405);
  });
});
