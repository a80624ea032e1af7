// The overview's aggregate against the real local libSQL server: hour buckets,
// the window's edges, method and level series, failures and every kind of lock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { auditEvents } from '../../../schema/audit.ts';
import { readConfig } from '../../../src/config.ts';
import { activityWindow, HOUR_MS, readSignInActivity, UNRECORDED } from '../../../src/console/overview/sign-in-activity.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import type { Database } from '../../../src/ports.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'sign-in-activity-'));
let server: LibsqlServer;
let db: Database;

// 14:25:00 UTC: the window runs from 15:00 the day before to now.
const NOW = Date.UTC(2026, 11, 7, 14, 25);
const FROM = Date.UTC(2026, 11, 6, 15, 0);

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  db = createDatabase(readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url }));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.delete(auditEvents);
});

type Event = { at: number; action?: string; outcome?: 'success' | 'failure'; details?: Record<string, unknown> };
const record = (events: Event[]) =>
  db.insert(auditEvents).values(
    events.map((e) => ({ at: e.at, actor: 'p1', action: e.action ?? 'signin', subject: 'p1', outcome: e.outcome ?? 'success', details: e.details ?? {} })),
  );
const passkey3 = { method: 'passkey', level: 3, amr: ['FIDO2'] };
const passkey2 = { method: 'passkey', level: 2, amr: ['FIDO2'] };
const pwd1 = { method: 'password', level: 1, amr: ['PWD'] };
const pwdTotp2 = { method: 'password_totp', level: 2, amr: ['PWD', 'TOTP'] };

describe('sign-in activity over the last 24 hours', () => {
  it('covers 24 whole UTC hours ending with the current one', () => {
    expect(activityWindow(NOW)).toEqual({ from: FROM, to: NOW });
    expect(activityWindow(Date.UTC(2026, 11, 7, 14, 0))).toEqual({ from: FROM, to: Date.UTC(2026, 11, 7, 14, 0) });
  });

  it('counts successes per hour by method and level, strongest first', async () => {
    await record([
      { at: FROM, details: passkey3 },
      { at: FROM + 59 * 60_000, details: passkey3 },
      { at: FROM + HOUR_MS, details: pwd1 },
      { at: FROM + HOUR_MS + 1, details: pwdTotp2 },
      { at: FROM + 2 * HOUR_MS, details: passkey2 },
      { at: NOW, details: passkey3 },
    ]);
    const activity = await readSignInActivity(db, NOW);
    expect(activity.series).toEqual([
      { method: 'passkey', level: 3 },
      { method: 'passkey', level: 2 },
      { method: 'password_totp', level: 2 },
      { method: 'password', level: 1 },
    ]);
    expect(activity.hours).toHaveLength(24);
    expect(activity.hours[0]).toEqual({ start: FROM, signIns: [2, 0, 0, 0], failures: 0, locks: 0 });
    expect(activity.hours[1]).toEqual({ start: FROM + HOUR_MS, signIns: [0, 0, 1, 1], failures: 0, locks: 0 });
    expect(activity.hours[2]!.signIns).toEqual([0, 1, 0, 0]);
    expect(activity.hours[23]).toEqual({ start: Date.UTC(2026, 11, 7, 14), signIns: [1, 0, 0, 0], failures: 0, locks: 0 });
  });

  it('leaves out events before the window and after now', async () => {
    await record([
      { at: FROM - 1, details: passkey3 },
      { at: NOW + 1, details: passkey3 },
      { at: FROM - 1, action: 'person.locked' },
      { at: NOW + 1, outcome: 'failure', details: { method: 'password', reason: 'wrong_password' } },
    ]);
    const activity = await readSignInActivity(db, NOW);
    expect(activity.series).toEqual([]);
    expect(activity.hours.every((h) => h.signIns.length === 0 && h.failures === 0 && h.locks === 0)).toBe(true);
  });

  it('counts failed sign-ins whatever their reason, apart from successes', async () => {
    await record([
      { at: FROM + 5 * HOUR_MS, outcome: 'failure', details: { method: 'password', reason: 'wrong_password' } },
      { at: FROM + 5 * HOUR_MS + 10, outcome: 'failure', details: { method: 'passkey', reason: 'verification_failed' } },
      { at: FROM + 5 * HOUR_MS + 20, outcome: 'failure', details: { method: 'password', reason: 'locked', limit: 'person' } },
      { at: FROM + 5 * HOUR_MS + 30, details: pwd1 },
    ]);
    const hour = (await readSignInActivity(db, NOW)).hours[5]!;
    expect(hour.failures).toBe(3);
    expect(hour.signIns).toEqual([1]);
  });

  it('counts locks of a person, a username at an address and an address', async () => {
    await record([
      { at: FROM + 7 * HOUR_MS, action: 'person.locked', details: { method: 'password', failures: 10 } },
      { at: FROM + 7 * HOUR_MS + 1, action: 'pair.locked', details: { method: 'password', failures: 5 } },
      { at: FROM + 8 * HOUR_MS, action: 'address.locked', details: { method: 'password', failures: 100 } },
    ]);
    const activity = await readSignInActivity(db, NOW);
    expect(activity.hours.map((h) => h.locks)).toEqual(Array.from({ length: 24 }, (_, i) => (i === 7 ? 2 : i === 8 ? 1 : 0)));
    expect(activity.series).toEqual([]);
  });

  it('ignores other actions, and counts a success recorded without method or level in a series of its own', async () => {
    await record([
      { at: FROM + HOUR_MS, action: 'token.issue', details: passkey3 },
      { at: FROM + HOUR_MS, action: 'authorize.failure', outcome: 'failure' },
      { at: FROM + HOUR_MS, action: 'person.unlocked' },
      { at: FROM + HOUR_MS, details: {} },
    ]);
    const activity = await readSignInActivity(db, NOW);
    expect(activity.series).toEqual([{ method: UNRECORDED, level: 0 }]);
    expect(activity.hours[1]).toEqual({ start: FROM + HOUR_MS, signIns: [1], failures: 0, locks: 0 });
  });
});
