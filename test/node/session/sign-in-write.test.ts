// The one write of a sign-in (src/session/sign-in-write.ts) against a real
// libSQL server: the update that spends the one-time value, the signin audit row
// and the person's index entry are one transaction, and the two inserts happen
// only when the update changed its row (SQLite changes()).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { people } from '../../../schema/people.ts';
import { personIndex } from '../../../schema/person-index.ts';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import type { Database } from '../../../src/ports.ts';
import { statementOf, writeSignIn, type SignInGate } from '../../../src/session/sign-in-write.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'sign-in-write-'));
let server: LibsqlServer;
let db: Database;

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  db = createDatabase(readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url }));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function person(): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(people).values({ id, uid: id.slice(0, 12), userName: `p.${id}`, createdAt: 1, updatedAt: 1, identityAssuranceLevel: 5 });
  return id;
}

/** A stand-in one-time value: the person's assurance level, which this update moves only forwards. */
function forwardGate(personId: string, level: number): SignInGate & { refusals: number } {
  const gate = {
    refusals: 0,
    statement: statementOf(db.update(people).set({ identityAssuranceLevel: level }).where(and(eq(people.id, personId), lt(people.identityAssuranceLevel, level)))),
    refused: async () => {
      gate.refusals += 1;
      return new Error('already spent');
    },
  };
  return gate;
}

const write = (personId: string, objectId: string, gate: SignInGate | null) =>
  writeSignIn(db, {
    gate,
    event: { actor: personId, action: 'signin', subject: personId, outcome: 'success', details: { method: 'passkey' }, requestId: objectId },
    session: { personId, objectId, expiresAt: 9_000 },
    at: 1_000,
  });

const rowsOf = async (personId: string) => ({
  audit: (await db.select().from(auditEvents).where(eq(auditEvents.subject, personId))).map((e) => e.requestId),
  index: (await db.select().from(personIndex).where(eq(personIndex.personId, personId))).map((r) => [r.objectId, r.expiresAt]),
});

describe('the sign-in write (one transaction, one round trip)', () => {
  it('stores the use, the audit row and the index entry together when the update changes its row', async () => {
    const id = await person();
    await write(id, 'session-a', forwardGate(id, 6));
    expect(await rowsOf(id)).toEqual({ audit: ['session-a'], index: [['session-a', 9_000]] });
  });

  it('stores neither row and throws the refusal when the update changes none (a spent counter or step)', async () => {
    const id = await person();
    const gate = forwardGate(id, 5);
    await expect(write(id, 'session-b', gate)).rejects.toThrow('already spent');
    expect(gate.refusals).toBe(1);
    expect(await rowsOf(id)).toEqual({ audit: [], index: [] });
  });

  it('still stores the audit row when the session is already indexed (a step-up in the same session)', async () => {
    const id = await person();
    await write(id, 'session-c', forwardGate(id, 6));
    await write(id, 'session-c', forwardGate(id, 7));
    expect(await rowsOf(id)).toEqual({ audit: ['session-c', 'session-c'], index: [['session-c', 9_000]] });
  });

  it('writes both rows without a gate (a password alone spends no one-time value)', async () => {
    const id = await person();
    await write(id, 'session-d', null);
    await write(id, 'session-d', null);
    expect(await rowsOf(id)).toEqual({ audit: ['session-d', 'session-d'], index: [['session-d', 9_000]] });
  });
});
