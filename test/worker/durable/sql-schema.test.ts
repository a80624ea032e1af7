// Every SQL-backed object creates and evolves its schema one way: numbered
// steps, each applied once, the version kept beside the tables (workers/sql-schema.ts).
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { migrateSchema, schemaVersion } from '../../../workers/sql-schema.ts';
import type { SessionObject } from '../../../workers/session-object.ts';
import { workerEnv } from '../../support/worker/tokens.ts';

const tables = (state: DurableObjectState) =>
  state.storage.sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name`).toArray().map((t) => t.name);

describe('versioned SQLite schemas in Durable Objects', () => {
  it('applies each step once, in order, and refuses a stored version newer than the code', async () => {
    const stub = workerEnv.LIMITS.get(workerEnv.LIMITS.idFromName(`schema:${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_, state) => {
      expect(schemaVersion(state.storage)).toBe(0);
      const steps = [[`CREATE TABLE a (x INTEGER)`], [`ALTER TABLE a ADD COLUMN y INTEGER`]] as const;
      migrateSchema(state.storage, steps.slice(0, 1));
      expect(schemaVersion(state.storage)).toBe(1);
      // Step 1 is not run again (it would fail: the table exists); step 2 evolves it.
      migrateSchema(state.storage, steps);
      migrateSchema(state.storage, steps);
      expect(schemaVersion(state.storage)).toBe(2);
      expect(state.storage.sql.exec(`SELECT name FROM pragma_table_info('a') ORDER BY cid`).toArray().map((c) => c.name)).toEqual(['x', 'y']);
      expect(() => migrateSchema(state.storage, steps.slice(0, 1))).toThrow(/newer/);
    });
  });

  it('ends a session kept in the layout before the record, and drops its tables at the first write', async () => {
    const stub = workerEnv.SESSIONS.get(workerEnv.SESSIONS.newUniqueId());
    const id = stub.id.toString();
    await runInDurableObject(stub, (_: SessionObject, state) => {
      state.storage.sql.exec(`CREATE TABLE session (id INTEGER PRIMARY KEY, secret_hash TEXT NOT NULL)`);
      state.storage.sql.exec(`INSERT INTO session (id, secret_hash) VALUES (1, 'old')`);
      state.storage.sql.exec(`CREATE TABLE clients (client_id TEXT PRIMARY KEY)`);
      state.storage.sql.exec(`CREATE TABLE interactions (id TEXT PRIMARY KEY)`);
    });
    expect(await stub.apply({ kind: 'load', secretHash: 'old' }, Date.now())).toBeNull();
    await stub.apply({ kind: 'create', id, secretHash: 'new', csrfToken: 'csrf' }, Date.now());
    expect(await runInDurableObject(stub, (_: SessionObject, state) => ({ version: schemaVersion(state.storage), tables: tables(state) }))).toEqual({
      version: 1,
      tables: ['session_record'],
    });
  });
});
