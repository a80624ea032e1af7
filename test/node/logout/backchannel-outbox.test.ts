// The back-channel logout outbox in libSQL (the Deno entry's queue), against the
// real local libSQL server: each client hears of an ended session once, failed
// attempts wait their delay, and two drains at once deliver a token once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { backchannelOutbox } from '../../../schema/backchannel-outbox.ts';
import { clients } from '../../../schema/clients.ts';
import { createAuditSink } from '../../../src/audit.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import { createDirectoryKeySource } from '../../../src/keys/directory-key-source.ts';
import { createCachedKeyStore } from '../../../src/keys/sealed-keys.ts';
import { createLogger } from '../../../src/log.ts';
import { RETRY_DELAYS_MS } from '../../../src/logout/backchannel-delivery.ts';
import { createOutboxQueue, drainOutbox } from '../../../src/logout/backchannel-outbox.ts';
import type { Database } from '../../../src/ports.ts';
import { TEST_ADMIN_TOKEN, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const ISSUER = 'http://localhost:8787';
const dir = mkdtempSync(join(tmpdir(), 'backchannel-outbox-'));
let server: LibsqlServer;
let db: Database;
let now = Date.now();
const received: string[] = [];
let answer = 200;

const send = (async (url: string, init: RequestInit) => {
  received.push(`${url} ${String(init.body)}`);
  // Slow enough that two drains overlap.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return new Response(null, { status: answer });
}) as typeof fetch;

function ports() {
  const config = readConfig({ ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url });
  const clock = () => now;
  return {
    config,
    db,
    keys: createCachedKeyStore(createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET, clock), config),
    audit: createAuditSink(db, clock),
    log: createLogger(() => {}),
    now: clock,
    outboundFetch: send,
  };
}

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  db = createDatabase(readConfig({ ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url }));
  for (const clientId of ['rp-a', 'rp-b']) {
    await db.insert(clients).values({
      clientId,
      registrationAccessTokenHash: `hash-${clientId}`,
      metadata: { redirect_uris: ['http://127.0.0.1:9/cb'], backchannel_logout_uri: `http://127.0.0.1:9/${clientId}/bcl` },
      clientIdIssuedAt: 1,
      updatedAt: 1,
    });
  }
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.delete(backchannelOutbox);
  received.length = 0;
  answer = 200;
});

const logout = (sessionId: string) => ({ sessionId, personId: null, subject: '555000000001', clientIds: ['rp-a', 'rp-b'], reason: 'logout' as const });

describe('back-channel logout outbox in libSQL (OIDC Back-Channel Logout 1.0 §2.5)', () => {
  it('delivers a logout token to each client once, even when queued twice', async () => {
    const queue = createOutboxQueue(db);
    await queue.enqueue(logout('sid-1'), now);
    await queue.enqueue(logout('sid-1'), now);
    expect(await drainOutbox(ports())).toBe(2);
    expect(received.map((r) => r.split(' ')[0]).sort()).toEqual(['http://127.0.0.1:9/rp-a/bcl', 'http://127.0.0.1:9/rp-b/bcl']);
    expect(received.every((r) => r.includes('logout_token='))).toBe(true);
    expect(await db.select().from(backchannelOutbox)).toHaveLength(0);
  });

  it('keeps a failed delivery and tries again only after its delay', async () => {
    await createOutboxQueue(db).enqueue(logout('sid-2'), now);
    answer = 503;
    await drainOutbox(ports());
    const [row] = await db.select().from(backchannelOutbox).limit(1);
    expect(row).toMatchObject({ attempts: 1, nextAt: now + RETRY_DELAYS_MS[0] });
    received.length = 0;
    expect(await drainOutbox(ports())).toBe(0);
    now += RETRY_DELAYS_MS[0];
    answer = 204;
    expect(await drainOutbox(ports())).toBe(2);
    expect(await db.select().from(backchannelOutbox)).toHaveLength(0);
  });

  it('lets only one of two drains at once deliver each token', async () => {
    await createOutboxQueue(db).enqueue(logout('sid-3'), now);
    const [a, b] = await Promise.all([drainOutbox(ports()), drainOutbox(ports())]);
    expect(a + b).toBe(2);
    expect(received).toHaveLength(2);
  });
});
