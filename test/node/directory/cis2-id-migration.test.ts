// schema/migrations/0004_cis2_twelve_digit_ids.sql: a directory migrated by the
// earlier release (UUID person_orgid / person_roleid) upgraded as `npm start`
// upgrades it, against a real local libSQL server (CONTRACT §8).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations, MIGRATIONS_FOLDER } from '../../../scripts/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'cis2-ids-'));
const opened: { server?: LibsqlServer; client?: Client } = {};

afterAll(async () => {
  opened.client?.close();
  await opened.server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The migrations folder as the previous release shipped it: everything before 0004. */
function previousRelease(): string {
  const folder = join(dir, 'previous');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx < 4);
  for (const e of journal.entries) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  return folder;
}

const TWELVE = /^[1-9]\d{11}$/;

describe('migration 0004: person_orgid and person_roleid become 12 digits (CONTRACT §8)', () => {
  it('gives every UUID id a unique random 12-digit id, keeping each role with its person and organisation', async () => {
    const server = (opened.server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 }));
    const client = (opened.client = createClient({ url: server.url, intMode: 'number' }));
    await migrate(drizzle(client), { migrationsFolder: previousRelease() });

    const statements = [
      "INSERT INTO organisations (org_code, org_name) VALUES ('RX1', 'Example NHS Trust'), ('RX2', 'Second NHS Trust')",
      "INSERT INTO people (id, uid, user_name, created_at, updated_at) VALUES ('p-a', '555000000001', 'ada', 1, 1), ('p-b', '555000000002', 'bob', 1, 1)",
    ];
    const orgRows: [string, string, string][] = [];
    const roleRows: [string, string, string, string][] = [];
    for (const person of ['p-a', 'p-b']) {
      for (const org of ['RX1', 'RX2']) {
        orgRows.push([crypto.randomUUID(), person, org]);
        for (const role of ['R8000', 'R8001']) roleRows.push([crypto.randomUUID(), person, org, role]);
      }
    }
    // One row already in the new form is kept as it is.
    roleRows[0]![0] = '123456789012';
    for (const [id, person, org] of orgRows) statements.push(`INSERT INTO person_organisations (id, person_id, org_code) VALUES ('${id}', '${person}', '${org}')`);
    for (const [id, person, org, role] of roleRows) {
      statements.push(`INSERT INTO role_assignments (id, person_id, org_code, role_code, role_name) VALUES ('${id}', '${person}', '${org}', '${role}', 'Role ${role}')`);
    }
    await client.batch(statements, 'write');

    await applyMigrations(server.url);

    const orgs = (await client.execute('SELECT id, person_id, org_code FROM person_organisations ORDER BY person_id, org_code')).rows;
    const roles = (await client.execute('SELECT id, person_id, org_code, role_code FROM role_assignments ORDER BY person_id, org_code, role_code')).rows;
    expect(orgs).toHaveLength(4);
    expect(roles).toHaveLength(8);
    for (const row of [...orgs, ...roles]) expect(String(row.id)).toMatch(TWELVE);
    expect(new Set(orgs.map((r) => r.id)).size).toBe(4);
    expect(new Set(roles.map((r) => r.id)).size).toBe(8);
    // Each role is still held by the same person at the same organisation.
    expect(roles.map((r) => `${r.person_id}/${r.org_code}/${r.role_code}`)).toEqual(
      roleRows.map(([, p, o, r]) => `${p}/${o}/${r}`).sort(),
    );
    expect(roles.map((r) => r.id)).toContain('123456789012');
    // The mapping table was temporary: nothing is left behind.
    const tables = (await client.execute("SELECT name FROM sqlite_master WHERE name LIKE '%cis2%'")).rows;
    expect(tables).toEqual([]);
    expect((await client.execute("SELECT count(*) AS n FROM organisations WHERE org_code LIKE '__cis2%'")).rows[0]!.n).toBe(0);
  });
});
