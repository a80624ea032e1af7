// The local libSQL server, driven through @libsql/client's HTTP transport the
// way the Worker drives sqld/Turso, plus the raw Hrana wire where the client
// does not reach (batons, conditions, HTTP errors).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, LibsqlBatchError, LibsqlError, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';

const TOKEN = 'test-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'libsql-server-test-'));
let open: LibsqlServer;
let guarded: LibsqlServer;
const clients: Client[] = [];

function client(url = open.url, options: { authToken?: string; intMode?: 'bigint' | 'number' } = {}): Client {
  const c = createClient({ url, intMode: options.intMode ?? 'bigint', authToken: options.authToken });
  clients.push(c);
  return c;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}, version = 'v2') {
  const res = await fetch(`${url}/${version}/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text === '' ? null : JSON.parse(text) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  open = await startLibsqlServer({ file: join(dir, 'open.db'), port: 0 });
  guarded = await startLibsqlServer({
    file: join(dir, 'guarded.db'),
    port: 0,
    authToken: TOKEN,
    maxBodyBytes: 4096,
    batonIdleMs: 200,
  });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await open?.close();
  await guarded?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP surface', () => {
  it('answers health and version probes, and only on the right paths and methods', async () => {
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${open.url}/health`)).status).toBe(200);
    expect((await fetch(`${open.url}/v2`)).status).toBe(200);
    expect((await fetch(`${open.url}/v3`)).status).toBe(200);
    // No protobuf: a v3 client probing for it must fall back to JSON.
    expect((await fetch(`${open.url}/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${open.url}/nope`)).status).toBe(404);
    expect((await fetch(`${open.url}/v2/pipeline`)).status).toBe(405);
    expect((await fetch(`${open.url}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('rejects malformed bodies and unknown request types with a protocol error', async () => {
    const bad = await post(open.url, '{not json');
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/json');
    expect(bad.body.message).toEqual(expect.any(String));
    const unknown = await post(open.url, { baton: null, requests: [{ type: 'teleport' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('teleport');
    expect(JSON.stringify(unknown.body)).not.toContain('at ');
  });

  it('requires the bearer token when one is configured', async () => {
    const pipeline = { baton: null, requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }, { type: 'close' }] };
    const missing = await post(guarded.url, pipeline);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: expect.any(String) });
    expect((await post(guarded.url, pipeline, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(guarded.url, pipeline, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(guarded.url, pipeline, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    // Probes stay open: hrana-client sends them without credentials.
    expect((await fetch(`${guarded.url}/v2`)).status).toBe(200);

    await expect(client(guarded.url, { authToken: 'wrong' }).execute('SELECT 1')).rejects.toBeInstanceOf(LibsqlError);
    await expect(client(guarded.url).execute('SELECT 1')).rejects.toBeInstanceOf(LibsqlError);
    const rows = await client(guarded.url, { authToken: TOKEN }).execute('SELECT 1 AS one');
    expect(rows.rows[0]?.['one']).toBe(1n);
  });

  it('answers 413 past maxBodyBytes, whether or not the length is declared', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const big = JSON.stringify({ baton: null, requests: [{ type: 'execute', stmt: { sql: `SELECT '${'x'.repeat(8000)}'` } }] });
    expect((await post(guarded.url, big, auth)).status).toBe(413);
    // A streamed body has no content-length, so the limit is enforced while reading.
    const chunks = [big.slice(0, 3000), big.slice(3000)];
    const streamed = await fetch(`${guarded.url}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    await streamed.arrayBuffer();
    // The server is still fine afterwards.
    const small = await post(guarded.url, { baton: null, requests: [{ type: 'close' }] }, auth);
    expect(small.status).toBe(200);
  });
});

describe('through @libsql/client', () => {
  let db: Client;
  beforeAll(async () => {
    db = client();
    await db.execute('CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n)');
    await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT)');
  });

  it('round-trips every value type, including integers beyond 2^53', async () => {
    const big = 2n ** 62n + 3n;
    const blob = new Uint8Array([0, 1, 2, 254, 255]);
    const inserted = await db.execute({
      sql: 'INSERT INTO vals (i, r, t, b, n) VALUES (?, ?, ?, ?, ?)',
      args: [big, 2.5, 'Zoë 👩🏽‍💻 ∑ 日本', blob, null],
    });
    expect(inserted.rowsAffected).toBe(1);
    const id = inserted.lastInsertRowid!;
    await db.execute({ sql: 'INSERT INTO vals (i, r, t, b) VALUES (?, ?, ?, ?)', args: [-(2n ** 63n), 2.0, '', blob.buffer] });
    await db.execute({ sql: 'INSERT INTO vals (id, i) VALUES (?, ?)', args: [2n ** 63n - 1n, 2n ** 63n - 1n] });

    const rs = await db.execute({ sql: 'SELECT i, r, t, b, n FROM vals WHERE id = ?', args: [id] });
    expect(rs.columns).toEqual(['i', 'r', 't', 'b', 'n']);
    expect(rs.columnTypes).toEqual(['INTEGER', 'REAL', 'TEXT', 'BLOB', '']);
    const row = rs.rows[0]!;
    expect(row['i']).toBe(big);
    expect(row['r']).toBe(2.5);
    expect(row['t']).toBe('Zoë 👩🏽‍💻 ∑ 日本');
    expect(new Uint8Array(row['b'] as ArrayBuffer)).toEqual(blob);
    expect(row['n']).toBeNull();

    const extremes = await db.execute('SELECT min(i) AS lo, max(i) AS hi, max(id) AS top FROM vals');
    expect(extremes.rows[0]?.['lo']).toBe(-(2n ** 63n));
    expect(extremes.rows[0]?.['hi']).toBe(2n ** 63n - 1n);
    const last = await db.execute({ sql: 'INSERT INTO vals (id) VALUES (?)', args: [2n ** 62n + 1n] });
    expect(last.lastInsertRowid).toBe(2n ** 62n + 1n);
    // A REAL without a fractional part stays a float, not an integer.
    const real = await db.execute("SELECT r, typeof(r) AS ty FROM vals WHERE t = ''");
    expect(real.rows[0]?.['ty']).toBe('real');
    expect(real.rows[0]?.['r']).toBe(2);
  });

  it('returns plain numbers in the default int mode the Worker uses', async () => {
    const rs = await client(open.url, { intMode: 'number' }).execute('SELECT 42 AS n, 1.25 AS f');
    expect(rs.rows[0]?.['n']).toBe(42);
    expect(rs.rows[0]?.['f']).toBe(1.25);
  });

  it('binds positional and named arguments', async () => {
    await db.execute({ sql: 'INSERT INTO users (email, name) VALUES (?, ?)', args: ['a@example.org', 'Ann'] });
    await db.execute({ sql: 'INSERT INTO users (email, name) VALUES (:email, $name)', args: { email: 'b@example.org', name: 'Bo' } });
    await db.execute({ sql: 'INSERT INTO users (email, name) VALUES (@email, :name)', args: { '@email': 'c@example.org', ':name': 'Cy' } });
    const rs = await db.execute({ sql: 'SELECT name FROM users WHERE email IN (?1, ?2, ?3) ORDER BY email', args: ['a@example.org', 'b@example.org', 'c@example.org'] });
    expect(rs.rows.map((r) => r['name'])).toEqual(['Ann', 'Bo', 'Cy']);
    const named = await db.execute({ sql: 'SELECT count(*) AS n FROM users WHERE name = :name OR name = :name', args: { name: 'Bo' } });
    expect(named.rows[0]?.['n']).toBe(1n);
  });

  it('reports SQL errors with codes and keeps answering', async () => {
    const syntax = await db.execute('SELEC 1').catch((err: unknown) => err);
    expect(syntax).toBeInstanceOf(LibsqlError);
    expect((syntax as LibsqlError).code).toBe('SQL_PARSE_ERROR');
    const unique = await db.execute({ sql: 'INSERT INTO users (email) VALUES (?)', args: ['a@example.org'] }).catch((err: unknown) => err);
    expect((unique as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    expect((unique as LibsqlError).message).toContain('UNIQUE constraint failed: users.email');
    const missing = await db.execute('SELECT * FROM no_such_table').catch((err: unknown) => err);
    expect((missing as LibsqlError).code).toBe('SQLITE_ERROR');
    const many = await db.execute('SELECT 1; SELECT 2').catch((err: unknown) => err);
    expect((many as LibsqlError).code).toBe('SQL_MANY_STATEMENTS');
    expect((await db.execute('SELECT 7 AS seven')).rows[0]?.['seven']).toBe(7n);
  });

  it('runs a write batch atomically and rolls it back when a statement fails', async () => {
    const ok = await db.batch(
      [
        { sql: 'INSERT INTO users (email) VALUES (?)', args: ['batch1@example.org'] },
        { sql: 'INSERT INTO users (email) VALUES (?)', args: ['batch2@example.org'] },
        "SELECT count(*) AS n FROM users WHERE email LIKE 'batch%'",
      ],
      'write',
    );
    expect(ok[2]?.rows[0]?.['n']).toBe(2n);

    const failed = await db
      .batch(
        [
          { sql: 'INSERT INTO users (email) VALUES (?)', args: ['batch3@example.org'] },
          { sql: 'INSERT INTO users (email) VALUES (?)', args: ['batch1@example.org'] },
        ],
        'write',
      )
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(LibsqlBatchError);
    expect((failed as LibsqlBatchError).statementIndex).toBe(1);
    const after = await db.execute("SELECT count(*) AS n FROM users WHERE email = 'batch3@example.org'");
    expect(after.rows[0]?.['n']).toBe(0n);
  });

  it('commits and rolls back interactive transactions, isolated from other clients', async () => {
    const other = client();
    const count = async (c: Client) =>
      (await c.execute("SELECT count(*) AS n FROM users WHERE email LIKE 'tx%'")).rows[0]?.['n'];

    const tx = await db.transaction('write');
    await tx.execute({ sql: 'INSERT INTO users (email) VALUES (?)', args: ['tx1@example.org'] });
    await tx.batch([{ sql: 'INSERT INTO users (email) VALUES (?)', args: ['tx2@example.org'] }]);
    expect((await tx.execute("SELECT count(*) AS n FROM users WHERE email LIKE 'tx%'")).rows[0]?.['n']).toBe(2n);
    expect(await count(other)).toBe(0n);
    await tx.commit();
    expect(await count(other)).toBe(2n);

    const rolled = await db.transaction('write');
    await rolled.execute({ sql: 'INSERT INTO users (email) VALUES (?)', args: ['tx3@example.org'] });
    await rolled.rollback();
    expect(await count(other)).toBe(2n);
  });

  it('serves two clients at once, a writer waiting for another writer’s transaction', async () => {
    const first = client();
    const second = client();
    const tx = await first.transaction('write');
    await tx.execute({ sql: 'INSERT INTO users (email) VALUES (?)', args: ['w1@example.org'] });
    // The second write needs the lock the open transaction holds; the server
    // must keep serving (the commit below) while that write waits.
    const waiting = second.execute({ sql: 'INSERT INTO users (email) VALUES (?)', args: ['w2@example.org'] });
    const [reads] = await Promise.all([
      Promise.all([1, 2, 3].map(() => second.execute('SELECT count(*) AS n FROM users'))),
      sleep(100).then(() => tx.commit()),
    ]);
    expect(reads).toHaveLength(3);
    expect((await waiting).rowsAffected).toBe(1);
    const both = await first.execute("SELECT count(*) AS n FROM users WHERE email IN ('w1@example.org', 'w2@example.org')");
    expect(both.rows[0]?.['n']).toBe(2n);
  });

  it('runs executeMultiple and migrate', async () => {
    await db.executeMultiple(`
      CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); -- a comment; with a semicolon
      INSERT INTO notes (body) VALUES ('one; still one');
      CREATE TRIGGER notes_touch AFTER INSERT ON notes BEGIN
        UPDATE notes SET body = CASE WHEN new.body = 'x' THEN 'y' ELSE new.body END WHERE id = new.id;
      END;
      INSERT INTO notes (body) VALUES ('x');
    `);
    const notes = await db.execute('SELECT body FROM notes ORDER BY id');
    expect(notes.rows.map((r) => r['body'])).toEqual(['one; still one', 'y']);
    await expect(db.executeMultiple('INSERT INTO notes (body) VALUES (1); SELEC;')).rejects.toBeInstanceOf(LibsqlError);

    await db.migrate([
      'CREATE TABLE tags (id INTEGER PRIMARY KEY, note_id INTEGER REFERENCES notes(id))',
      { sql: 'INSERT INTO tags (note_id) VALUES (?)', args: [1n] },
    ]);
    expect((await db.execute('SELECT count(*) AS n FROM tags')).rows[0]?.['n']).toBe(1n);
  });

  it('expires an idle transaction, rolling it back and freeing the write lock', async () => {
    const c = client(guarded.url, { authToken: TOKEN });
    await c.execute('CREATE TABLE IF NOT EXISTS idle (v TEXT)');
    const tx = await c.transaction('write');
    await tx.execute("INSERT INTO idle VALUES ('lost')");
    await sleep(400);
    const err = await tx.commit().catch((e: unknown) => e);
    expect((err as LibsqlError).code).toBe('STREAM_EXPIRED');
    await c.execute("INSERT INTO idle VALUES ('kept')");
    const rows = await c.execute('SELECT v FROM idle');
    expect(rows.rows.map((r) => r['v'])).toEqual(['kept']);
  });
});

describe('raw Hrana pipelines', () => {
  const exec = (sql: string, extra: Record<string, unknown> = {}) => ({ type: 'execute', stmt: { sql, ...extra } });

  it('keeps a stream alive with a single-use baton and ends it on close', async () => {
    const first = await post(open.url, { baton: null, requests: [exec('CREATE TEMP TABLE scratch (v)'), exec("INSERT INTO scratch VALUES ('a')")] });
    expect(first.status).toBe(200);
    expect(first.body.baton).toEqual(expect.any(String));
    expect(first.body.base_url).toBeNull();

    // Connection state (a temp table) survives across requests on the stream.
    const second = await post(open.url, { baton: first.body.baton, requests: [exec('SELECT v FROM scratch'), { type: 'close' }] });
    expect(second.body.results[0].response.result.rows).toEqual([[{ type: 'text', value: 'a' }]]);
    expect(second.body.results[1]).toEqual({ type: 'ok', response: { type: 'close' } });
    expect(second.body.baton).toBeNull();

    const reused = await post(open.url, { baton: first.body.baton, requests: [exec('SELECT 1')] });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('BATON_INVALID');
    const forged = await post(open.url, { baton: 'AAAA', requests: [] });
    expect(forged.status).toBe(400);

    const v3 = await post(open.url, { baton: null, requests: [exec('SELECT 3'), { type: 'get_autocommit' }, { type: 'close' }] }, {}, 'v3');
    expect(v3.body.results[0].response.result.rows).toEqual([[{ type: 'integer', value: '3' }]]);
    expect(v3.body.results[1].response).toEqual({ type: 'get_autocommit', is_autocommit: true });
  });

  it('supports stored SQL, want_rows, describe and get_autocommit', async () => {
    const res = await post(open.url, {
      baton: null,
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'SELECT ? + 1 AS next' },
        exec('', { sql: undefined, sql_id: 1, args: [{ type: 'integer', value: '9007199254740993' }] }),
        exec('SELECT 1 UNION ALL SELECT 2', { want_rows: false }),
        { type: 'describe', sql: 'SELECT id AS ident, :x, ?3 FROM users WHERE email = @e' },
        { type: 'describe', sql: 'DELETE FROM users WHERE 0' },
        { type: 'get_autocommit' },
        exec('BEGIN'),
        { type: 'get_autocommit' },
        exec('ROLLBACK'),
        { type: 'close_sql', sql_id: 1 },
        { type: 'close' },
      ],
    });
    expect(res.status).toBe(200);
    const [stored, execd, noRows, describeSelect, describeDelete, auto1, , auto2] = res.body.results;
    expect(stored).toEqual({ type: 'ok', response: { type: 'store_sql' } });
    expect(execd.response.result.cols).toEqual([{ name: 'next', decltype: null }]);
    expect(execd.response.result.rows).toEqual([[{ type: 'integer', value: '9007199254740994' }]]);
    expect(noRows.response.result.rows).toEqual([]);
    expect(noRows.response.result.cols).toHaveLength(1);
    expect(describeSelect.response.result).toEqual({
      params: [{ name: ':x' }, { name: null }, { name: '?3' }, { name: '@e' }],
      cols: [
        { name: 'ident', decltype: 'INTEGER' },
        { name: ':x', decltype: null },
        { name: '?3', decltype: null },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(describeDelete.response.result.is_readonly).toBe(false);
    expect(auto1.response.is_autocommit).toBe(true);
    expect(auto2.response.is_autocommit).toBe(false);
  });

  it('evaluates batch conditions', async () => {
    const step = (sql: string, condition?: unknown) => ({ stmt: { sql }, ...(condition ? { condition } : {}) });
    const res = await post(open.url, {
      baton: null,
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              step('SELECT 1'),
              step('SELECT nope'),
              step('SELECT 2', { type: 'ok', step: 0 }),
              step('SELECT 3', { type: 'ok', step: 1 }),
              step('SELECT 4', { type: 'error', step: 1 }),
              step('SELECT 5', { type: 'not', cond: { type: 'ok', step: 3 } }),
              step('SELECT 6', { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'error', step: 0 }] }),
              step('SELECT 7', { type: 'or', conds: [{ type: 'ok', step: 0 }, { type: 'error', step: 0 }] }),
              step('SELECT 8', { type: 'is_autocommit' }),
              step('SELECT 9', { type: 'ok', step: 99 }),
            ],
          },
        },
        { type: 'close' },
      ],
    });
    const { step_results: results, step_errors: errors } = res.body.results[0].response.result;
    const ran = results.map((r: { rows: unknown[][] } | null) => (r === null ? null : r.rows[0]?.[0]));
    expect(ran).toEqual([
      { type: 'integer', value: '1' },
      null,
      { type: 'integer', value: '2' },
      null,
      { type: 'integer', value: '4' },
      { type: 'integer', value: '5' },
      null,
      { type: 'integer', value: '7' },
      { type: 'integer', value: '8' },
      null,
    ]);
    expect(errors[1]).toEqual({ message: expect.stringContaining('no such column: nope'), code: 'SQLITE_ERROR' });
    expect(errors.filter((e: unknown) => e !== null)).toHaveLength(1);
  });

  it('reports statement errors per request and protocol errors for the whole pipeline', async () => {
    const res = await post(open.url, {
      baton: null,
      requests: [exec('SELECT x FROM'), exec(''), exec('SELECT 1', { args: [{ type: 'integer', value: '1' }], named_args: [{ name: 'a', value: { type: 'null' } }] }), { type: 'sequence', sql: 'SELECT 1; SELEC 2' }, { type: 'close' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { type: string; error?: { code: string } }) => r.error?.code)).toEqual([
      'SQL_PARSE_ERROR',
      'SQL_NO_STATEMENT',
      'ARGS_BOTH_POSITIONAL_AND_NAMED',
      'SQL_PARSE_ERROR',
      undefined,
    ]);
    const unknownSql = await post(open.url, { baton: null, requests: [exec('', { sql: undefined, sql_id: 5 })] });
    expect(unknownSql.status).toBe(400);
    expect(unknownSql.body.code).toBe('SQL_NOT_FOUND');
    const badValue = await post(open.url, { baton: null, requests: [exec('SELECT ?', { args: [{ type: 'integer', value: '99999999999999999999' }] })] });
    expect(badValue.status).toBe(400);
  });
});

describe('cli', () => {
  it('prints the listening line and stops cleanly on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../../../scripts/libsql-server/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--file', join(dir, 'cli.db'), '--port', '0'], {
      env: { ...process.env, LIBSQL_AUTH_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
      });
      const listening = JSON.parse(line) as { msg: string; url: string };
      expect(listening.msg).toBe('libsql server listening');
      const rs = await client(listening.url, { authToken: TOKEN }).execute('SELECT 1 AS one');
      expect(rs.rows[0]?.['one']).toBe(1n);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
