// The directory's database adapter under faults: a refused connection, a 5xx
// and a server that never answers all surface as UnavailableError (through the
// wrappers libSQL's client and drizzle add), which renders as 503 with
// Retry-After in the caller's error shape. A bad statement stays a real error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import { UnavailableError, unavailableCause } from '../../../src/errors.ts';
import type { AppEnv } from '../../../src/http/context.ts';
import { renderError } from '../../../src/http/errors.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const TIMEOUT_MS = 300;
const dir = mkdtempSync(join(tmpdir(), 'database-faults-'));
let server: LibsqlServer;

const config = (url: string) =>
  readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: url, DB_TIMEOUT_MS: String(TIMEOUT_MS) });

/** What a query over `fetch` throws, and how long it took. */
async function failure(fetch: typeof globalThis.fetch, url = 'http://127.0.0.1:9'): Promise<{ err: unknown; ms: number }> {
  const db = createDatabase(config(url), fetch);
  const started = performance.now();
  const err = await db.run(sql`select 1`).then(() => null, (e: unknown) => e);
  return { err, ms: performance.now() - started };
}

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createDatabase under faults', () => {
  it('turns a refused connection into UnavailableError, keeping the cause for the log', async () => {
    const { err } = await failure(() => Promise.reject(new TypeError('fetch failed: ECONNREFUSED')));
    const unavailable = unavailableCause(err);
    expect(unavailable).toBeInstanceOf(UnavailableError);
    expect((unavailable!.cause as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('turns a 5xx from the server, e.g. one shutting down, into UnavailableError', async () => {
    for (const status of [500, 502, 503, 504]) {
      const { err } = await failure(async () => Response.json({ error: 'Server is shutting down' }, { status }));
      expect(unavailableCause(err), `HTTP ${status}`).toBeInstanceOf(UnavailableError);
    }
  });

  it('gives up on a server that never answers after DB_TIMEOUT_MS', async () => {
    const hung: typeof fetch = (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const { err, ms } = await failure(hung);
    expect(unavailableCause(err)).toBeInstanceOf(UnavailableError);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1_000);
  });

  it('leaves a bad statement as the error it is, and answers normally when the server does', async () => {
    const db = createDatabase(config(server.url));
    expect(await db.run(sql`select 1 as one`)).toMatchObject({ rows: [{ one: 1 }] });
    const err = await db.run(sql`select * from no_such_table`).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(unavailableCause(err)).toBeUndefined();
  });
});

describe('renderError for an unavailable database', () => {
  const app = new Hono<AppEnv>();
  // As drizzle throws it: the adapter's error is the cause of the cause.
  const wrapped = () => new Error('Failed query: select 1', { cause: new Error('libsql', { cause: new UnavailableError('the directory database') }) });
  app.get('/token', () => {
    throw wrapped();
  });
  app.get('/scim/v2/Users', () => {
    throw wrapped();
  });
  app.onError(renderError);

  it('answers 503 temporarily_unavailable with Retry-After (RFC 6749 §5.2 shape, RFC 9110 §10.2.3)', async () => {
    const res = await app.request('/token');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'the directory database is unavailable; try again shortly' });
  });

  it('answers the SCIM error schema under /scim/v2 (RFC 7644 §3.12)', async () => {
    const res = await app.request('/scim/v2/Users');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '503',
      detail: 'the directory database is unavailable; try again shortly',
    });
  });
});
