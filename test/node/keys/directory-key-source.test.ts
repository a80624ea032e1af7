// Signing keys in libSQL (the Deno entry's key store), against the real local
// libSQL server: the same lifecycle as the keys object, and one next and one
// current key per algorithm however many instances create or rotate at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { signingKeys } from '../../../schema/signing-keys.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import { createDirectoryKeySource } from '../../../src/keys/directory-key-source.ts';
import { decryptPrivateJwk } from '../../../src/keys/key-encryption.ts';
import { SIGNING_ALGS } from '../../../src/keys/key-generation.ts';
import { createCachedKeyStore } from '../../../src/keys/sealed-keys.ts';
import type { Database } from '../../../src/ports.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'directory-keys-'));
let server: LibsqlServer;
let db: Database;
const config = () => readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url });

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  db = createDatabase(config());
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.delete(signingKeys);
});

describe('signing keys in libSQL', () => {
  it('publishes a next and a current key per algorithm, and only public members', async () => {
    const source = createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET);
    const keys = await source.publicKeys();
    expect(keys.map((k) => `${k.alg}:${k.state}`)).toEqual(SIGNING_ALGS.flatMap((alg) => [`${alg}:current`, `${alg}:next`]));
    for (const key of keys) expect(key.publicJwk).not.toHaveProperty('d');
  });

  it('keeps private keys only sealed under KEY_ENCRYPTION_SECRET', async () => {
    const source = createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET);
    const key = await source.currentKey('ES256');
    const [row] = await db.select().from(signingKeys).limit(1);
    expect(row!.encryptedPrivateJwk).not.toContain('"d"');
    expect(await decryptPrivateJwk(TEST_KEY_ENCRYPTION_SECRET, key.kid, key.encryptedPrivateJwk)).toHaveProperty('d');
  });

  it('creates one set of keys when many instances start at once', async () => {
    const sources = Array.from({ length: 6 }, () => createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET));
    const kids = await Promise.all(sources.map(async (s) => (await s.currentKey('ES256')).kid));
    expect(new Set(kids).size).toBe(1);
    expect(await db.select().from(signingKeys)).toHaveLength(SIGNING_ALGS.length * 2);
  });

  it('rotates next → current → retired, publishing the retired key until its TTL passes', async () => {
    let now = Date.now();
    const source = createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET, () => now);
    const before = await source.currentKey('RS256');
    const nextBefore = (await source.publicKeys()).find((k) => k.alg === 'RS256' && k.state === 'next')!;
    const rotations = await source.rotate(60);
    const rs256 = rotations.find((r) => r.alg === 'RS256')!;
    expect(rs256).toMatchObject({ retiredKid: before.kid, currentKid: nextBefore.kid });
    expect((await source.currentKey('RS256')).kid).toBe(nextBefore.kid);
    expect((await source.publicKeys()).find((k) => k.kid === before.kid)?.state).toBe('retired');
    now += 61_000;
    expect((await source.publicKeys()).some((k) => k.kid === before.kid)).toBe(false);
  });

  it('lets one of two concurrent rotations through, and leaves one next and one current key', async () => {
    const [a, b] = [createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET), createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET)];
    await a.publicKeys();
    const results = await Promise.allSettled([a.rotate(60), b.rotate(60)]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const live = (await a.publicKeys()).filter((k) => k.state !== 'retired');
    expect(live).toHaveLength(SIGNING_ALGS.length * 2);
  });

  it('signs through the cached key store with the current key', async () => {
    const store = createCachedKeyStore(createDirectoryKeySource(db, TEST_KEY_ENCRYPTION_SECRET), config());
    const key = await store.signingKey('ES256');
    const jwks = await store.jwks();
    expect(jwks.keys.some((k) => k.kid === key.kid && k.use === 'sig')).toBe(true);
  });
});
