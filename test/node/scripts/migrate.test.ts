// scripts/migrate.ts: the drizzle-kit migrations applied to a real local libSQL
// server over HTTP, as `npm start` and `npm run db:migrate` apply them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/free-port.ts';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations, MigrationError, MIGRATIONS_FOLDER } from '../../../scripts/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'migrate-test-'));
const open: { servers: LibsqlServer[]; clients: Client[] } = { servers: [], clients: [] };

/** A libSQL server on a free port over a new, empty database file, and a client of it. */
async function emptyDatabase(authToken?: string): Promise<{ url: string; client: Client }> {
  const server = await startLibsqlServer({ file: join(dir, `${crypto.randomUUID()}.db`), port: 0, authToken });
  const client = createClient({ url: server.url, authToken, intMode: 'number' });
  open.servers.push(server);
  open.clients.push(client);
  return { url: server.url, client };
}

async function tables(client: Client): Promise<string[]> {
  const rs = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  return rs.rows.map((r) => String(r.name));
}

async function journal(client: Client): Promise<{ hash: string; created_at: number }[]> {
  const rs = await client.execute('SELECT hash, created_at FROM __drizzle_migrations ORDER BY id');
  return rs.rows.map((r) => ({ hash: String(r.hash), created_at: Number(r.created_at) }));
}

/** Every table the committed migrations create, read from their SQL. */
const MIGRATED_TABLES = readdirSync(MIGRATIONS_FOLDER)
  .filter((f) => f.endsWith('.sql'))
  .flatMap((f) => [...readFileSync(join(MIGRATIONS_FOLDER, f), 'utf8').matchAll(/CREATE TABLE `(\w+)`/g)].map((m) => m[1]!));
const MIGRATIONS = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });

afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close();
  for (const s of open.servers.splice(0)) await s.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('applyMigrations', () => {
  it('applies every committed migration to an empty database and records each in the journal', async () => {
    const { url, client } = await emptyDatabase();
    expect(await tables(client)).toEqual([]);
    await applyMigrations(url);
    expect(MIGRATED_TABLES).toEqual(expect.arrayContaining(['people', 'enrolments', 'clients', 'audit_events', 'person_index']));
    expect(await tables(client)).toEqual(expect.arrayContaining([...MIGRATED_TABLES, '__drizzle_migrations']));
    expect(await journal(client)).toEqual(MIGRATIONS.map((m) => ({ hash: m.hash, created_at: m.folderMillis })));
  });

  it('is idempotent: a second run changes nothing and keeps the data', async () => {
    const { url, client } = await emptyDatabase();
    await applyMigrations(url);
    await client.execute("INSERT INTO organisations (org_code, org_name) VALUES ('RX1', 'Example NHS Trust')");
    const [before, journalBefore] = [await tables(client), await journal(client)];
    await applyMigrations(url);
    expect(await tables(client)).toEqual(before);
    expect(await journal(client)).toEqual(journalBefore);
    expect((await client.execute('SELECT org_name FROM organisations')).rows.map((r) => r.org_name)).toEqual(['Example NHS Trust']);
  });

  it('sends the auth token a guarded server requires, and fails with MigrationError without it', async () => {
    const token = 'migrate-test-token-0123456789';
    const { url, client } = await emptyDatabase(token);
    const refused = await applyMigrations(url).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(MigrationError);
    expect((refused as Error).message).toContain(url);
    expect((refused as Error).message).toContain('401');
    expect(await tables(client)).toEqual([]);
    await applyMigrations(url, token);
    expect(await journal(client)).toHaveLength(MIGRATIONS.length);
  });
});

describe('applyMigrations on a database it cannot migrate', () => {
  it('throws MigrationError naming the server and the conflict when a table the first migration creates already exists, and applies nothing', async () => {
    const { url, client } = await emptyDatabase();
    // A database some other tool already uses: `organisations` with another shape.
    await client.execute('CREATE TABLE organisations (code INTEGER PRIMARY KEY, label TEXT)');
    const err = await applyMigrations(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    const message = (err as Error).message;
    expect(message).toContain(url);
    expect(message).toMatch(/organisations.*already exists/);
    // It names what it was applying and what to do about it.
    expect(message).toContain('0000_initial');
    expect(message).toMatch(/Point LIBSQL_URL at an empty database/);
    // The migrations go in one batch: the failure leaves no half-built schema behind.
    expect((await tables(client)).filter((t) => t !== '__drizzle_migrations')).toEqual(['organisations']);
    expect(await journal(client)).toEqual([]);
    expect((await client.execute('PRAGMA table_info(organisations)')).rows.map((r) => r.name)).toEqual(['code', 'label']);
  });

  it('throws MigrationError when the migrations journal table is corrupt (no hash column)', async () => {
    const { url, client } = await emptyDatabase();
    await client.execute('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY)');
    const err = await applyMigrations(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toMatch(/hash/);
    expect(await tables(client)).toEqual(['__drizzle_migrations']);
  });
});

describe('applyMigrations against a server that is not there', () => {
  it('fails with MigrationError naming the URL within seconds when nothing listens on the port', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const err = await applyMigrations(url).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toContain(url);
  });

  it('fails with MigrationError within its deadline when the server accepts the connection and never answers', async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const err = await applyMigrations(url, undefined, 500).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toContain(url);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails with MigrationError when the host is not a libSQL server (an HTTP server answering 404)', async () => {
    const server = createServer((_, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const err = await applyMigrations(url).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toContain(url);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
