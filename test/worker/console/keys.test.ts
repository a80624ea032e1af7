// Signing keys in the console: each algorithm's keys by state, as the JWKS
// publishes them, and rotation (next → current → retired) behind the CSRF
// token, audited as keys.rotate in the operator's name.
import { env, runInDurableObject } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { SIGNING_ALGS } from '../../../src/keys/key-generation.ts';
import type { Env } from '../../../workers/env.ts';
import { keysObject } from '../../../workers/key-store.ts';
import type { Browser } from '../../support/worker/browser.ts';
import { signedInOperator } from '../../support/worker/console.ts';
import { call } from '../../support/worker/requests.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import type { EnrolledPasskey } from '../../support/webauthn/enrolment.ts';

let operator: EnrolledPasskey;
let browser: Browser;
let csrf: string;

beforeAll(async () => {
  ({ operator, browser, csrf } = await signedInOperator('/console/keys'));
});

// Alarms outlive isolated storage between test files; leave none behind.
afterAll(async () => {
  await runInDurableObject(keysObject((env as unknown as Env).KEYS), (_, state) => state.storage.deleteAlarm());
});

/** [alg, state, kid] for each row of the keys page. */
async function shownKeys(): Promise<{ html: string; rows: [string, string, string][] }> {
  const html = await (await browser.fetch('/console/keys')).text();
  const rows = [...html.matchAll(/<tr class="nhsuk-table__row" data-state="(\w+)" data-alg="(\w+)">.*?<code>([^<]+)<\/code>/g)].map(
    (m) => [m[2]!, m[1]!, m[3]!] as [string, string, string],
  );
  return { html, rows };
}

const seenOf = (html: string) => /name="seen" value="([^"]+)"/.exec(html)![1]!;

const kidOf = (rows: [string, string, string][], alg: string, state: string) => rows.find((r) => r[0] === alg && r[1] === state)?.[2];

describe('signing keys in the console', () => {
  it("shows each algorithm's next and current key, in words, with the kids the JWKS publishes", async () => {
    const { html, rows } = await shownKeys();
    const jwks = (await (await call('/jwks.json')).json()) as JSONWebKeySet;
    for (const alg of SIGNING_ALGS) {
      expect(kidOf(rows, alg, 'current')).toBeDefined();
      expect(kidOf(rows, alg, 'next')).toBeDefined();
    }
    expect(rows.map((r) => r[2]).sort()).toEqual(jwks.keys.map((k) => k.kid!).sort());
    expect(html).toContain('>Current</strong>');
    expect(html).toContain('>Next</strong>');
    expect(html).toMatch(/<a [^>]*href="\/console\/keys" aria-current="page"/);
  });

  it('refuses a rotation without the CSRF token (403) and leaves the keys as they were', async () => {
    const before = (await shownKeys()).rows;
    expect((await browser.postForm('/console/keys/rotate', { csrf_token: 'z'.repeat(43) })).status).toBe(403);
    expect((await shownKeys()).rows).toEqual(before);
  });

  it('rotates every algorithm (next → current → retired), says so, and audits keys.rotate as the operator', async () => {
    const { rows: before, html: shown } = await shownKeys();
    const res = await browser.postForm('/console/keys/rotate', { csrf_token: csrf, seen: seenOf(shown) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/keys?done=rotated');
    const after = await browser.fetch('/console/keys?done=rotated');
    const html = await after.text();
    expect(html).toMatch(/role="status"[^>]*>The signing keys were rotated/);
    const { rows } = await shownKeys();
    for (const alg of SIGNING_ALGS) {
      expect(kidOf(rows, alg, 'retired')).toBe(kidOf(before, alg, 'current'));
      expect(kidOf(rows, alg, 'current')).toBe(kidOf(before, alg, 'next'));
      expect(kidOf(rows, alg, 'next')).not.toBe(kidOf(before, alg, 'next'));
    }
    const [event] = await testDatabase().select().from(auditEvents).where(and(eq(auditEvents.action, 'keys.rotate'), eq(auditEvents.actor, operator.person.id)));
    expect(event).toMatchObject({ outcome: 'success', details: { via: 'console', rotated: expect.arrayContaining([expect.objectContaining({ alg: 'ES256', retired_kid: kidOf(before, 'ES256', 'current') })]) } });
  });

  it('does not rotate again for a form shown before the last rotation (a second press, another operator): 409 and the error summary', async () => {
    const { rows: before, html: shown } = await shownKeys();
    const seen = seenOf(shown);
    expect((await browser.postForm('/console/keys/rotate', { csrf_token: csrf, seen })).status).toBe(303);
    const rotations = async () =>
      (await testDatabase().select().from(auditEvents).where(and(eq(auditEvents.action, 'keys.rotate'), eq(auditEvents.actor, operator.person.id)))).length;
    const count = await rotations();
    const again = await browser.postForm('/console/keys/rotate', { csrf_token: csrf, seen });
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toMatch(/<title>Error: Signing keys/);
    expect(html).toContain('so they were not rotated again');
    const { rows } = await shownKeys();
    expect(kidOf(rows, 'ES256', 'current')).toBe(kidOf(before, 'ES256', 'next'));
    expect(await rotations()).toBe(count);
    expect((await browser.postForm('/console/keys/rotate', { csrf_token: csrf })).status).toBe(409);
  });

  it('answers GET on the rotation path with 405', async () => {
    expect((await browser.fetch('/console/keys/rotate')).status).toBe(405);
  });
});
