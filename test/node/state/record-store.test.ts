// The portable path: the session and grant stores over a versioned record store
// with compare-and-set and retry (src/state/record-store.ts), here the memory
// one, as Redis or SQL would hold them where there are no Durable Objects.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { grantStoreOn } from '../../../src/oauth/grant-store-on-objects.ts';
import { sha256 } from '../../../src/secrets.ts';
import { recordStoreSessionObjects } from '../../../src/session/session-objects.ts';
import { sessionStoreOn } from '../../../src/session/session-store-on-objects.ts';
import { applyWithRetry, MAX_ATTEMPTS, RecordContentionError, type RecordStore } from '../../../src/state/record-store.ts';
import { MemoryRecordStore, raceReads } from '../../support/memory-record-store.ts';
import { TEST_ADMIN_TOKEN, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';
import { AUTH, grantInput } from '../../support/session-records.ts';

const config = readConfig({ ISSUER: 'https://id.example.nhs.uk', ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: 'http://127.0.0.1:8080' });
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

function stores(records = new MemoryRecordStore()) {
  const objects = recordStoreSessionObjects(records);
  return { records, sessions: sessionStoreOn(objects, config), grants: grantStoreOn(objects, config) };
}

/** A signed-in session and a code issued in it, through the stores' ports. */
async function issuedCode(s: ReturnType<typeof stores>) {
  const now = Date.now();
  const created = await s.sessions.create(now);
  const opened = (await s.sessions.authenticate(created.handle, { ...AUTH, authTime: Math.floor(now / 1000) }, null, now))!;
  const issued = (await s.grants.issueCode(grantInput({ sessionId: opened.session.id, codeChallenge: await sha256(VERIFIER), authentication: { ...AUTH, authTime: Math.floor(now / 1000) } })))!;
  return { opened, ...issued };
}

const redeem = (s: ReturnType<typeof stores>, code: string, verifierChallenge: string) =>
  s.grants.redeemCode({ code, clientId: 'client-1', redirectUri: 'https://rp.example.com/cb', verifierChallenge, issueRefreshToken: true });

describe('applyWithRetry over a compare-and-set store', () => {
  it('lets exactly one of two simultaneous redemptions of a code win; the other revokes the grant (RFC 6749 §4.1.2)', async () => {
    const s = stores();
    const { code, grantId } = await issuedCode(s);
    const challenge = await sha256(VERIFIER);
    const conflictsBefore = s.records.conflicts;
    raceReads(s.records, 2);
    const outcomes = await Promise.all([redeem(s, code, challenge), redeem(s, code, challenge)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ refusal: 'reused', grantId });
    // The two really raced: one compare-and-set lost and was retried against the new version.
    expect(s.records.conflicts).toBeGreaterThan(conflictsBefore);
    expect(await s.grants.findGrant(grantId)).toBeNull();
  });

  it('lets exactly one of two simultaneous rotations of a refresh token win; the other revokes the family (RFC 9700 §4.14.2)', async () => {
    const s = stores();
    const { code } = await issuedCode(s);
    const first = await redeem(s, code, await sha256(VERIFIER));
    if (!first.ok) throw new Error(first.refusal);
    raceReads(s.records, 2);
    const rotate = () => s.grants.rotateRefreshToken({ refreshToken: first.refreshToken!, clientId: 'client-1', scope: null });
    const outcomes = await Promise.all([rotate(), rotate()]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ refusal: 'reused' });
    const winner = outcomes.find((o) => o.ok)!;
    expect(await s.grants.findByRefreshToken(winner.ok ? winner.refreshToken! : '')).toBeNull();
  });

  it('keeps one record per sign-in: the session and its grants under one key', async () => {
    const s = stores();
    const { opened } = await issuedCode(s);
    await issuedCode(s);
    expect(s.records.keys()).toHaveLength(2);
    expect(s.records.keys()).toContain(`session:${opened.session.id}`);
  });

  it('gives up after a bounded number of conflicts instead of spinning', async () => {
    let reads = 0;
    const contended: RecordStore = {
      read: async () => ({ value: { n: reads }, version: ++reads, expiresAt: Date.now() + 60_000 }),
      compareAndSet: async () => false,
    };
    const step = (v: { n: number } | null) => ({ next: { n: (v?.n ?? 0) + 1 }, result: true });
    await expect(applyWithRetry(contended, 'k', step, () => Date.now() + 60_000)).rejects.toBeInstanceOf(RecordContentionError);
    expect(reads).toBe(MAX_ATTEMPTS);
  });

  it('writes nothing for a step that reads, and deletes a record the step drops', async () => {
    const records = new MemoryRecordStore();
    const s = stores(records);
    const created = await s.sessions.create(Date.now());
    const writes = records.writes;
    expect(await s.sessions.load(created.handle, Date.now())).toMatchObject({ id: created.session.id });
    expect(records.writes).toBe(writes);
    await s.sessions.end(created.session.id);
    expect(records.keys()).toEqual([]);
  });

  it('treats a record past its expiry as absent', async () => {
    let now = Date.now();
    const records = new MemoryRecordStore(() => now);
    const s = stores(records);
    const created = await s.sessions.create(now);
    now = created.session.expiresAt;
    expect(await records.read(`session:${created.session.id}`)).toBeNull();
    expect(await s.sessions.load(created.handle, now - 1)).toBeNull();
  });

  it('answers an id that names no record as unknown, without a write', async () => {
    const s = stores();
    expect(await s.sessions.end('f'.repeat(64))).toBeNull();
    expect(await s.grants.revoke(`${'f'.repeat(64)}-1`, 'test')).toBe(false);
    expect(await s.grants.findGrant('nonsense')).toBeNull();
    expect(s.records.writes).toBe(0);
  });
});
