import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { personObjects } from '../../../src/directory/person-index.ts';
import { sha256 } from '../../../src/secrets.ts';
import type { SessionRecord } from '../../../src/session/session-record.ts';
import { LOCATION_HINT } from '../../../workers/env.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { createUser, patchUser } from '../../support/worker/scim.ts';
import { grantStoreAt, issueTestCode, redeemCode, signIn, testPorts, workerEnv } from '../../support/worker/tokens.ts';

const sessionObject = (sessionId: string) => workerEnv.SESSIONS.get(workerEnv.SESSIONS.idFromString(sessionId), { locationHint: LOCATION_HINT });

/** What the session's object keeps: its record as stored, or null once it has nothing. */
function storedRecord(sessionId: string) {
  return runInDurableObject(sessionObject(sessionId), (_, state) => {
    const tables = state.storage.sql.exec(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'session_record'`).toArray();
    if (tables.length === 0) return null;
    const row = state.storage.sql.exec<{ value: string }>(`SELECT value FROM session_record`).toArray()[0];
    return row ? { text: row.value, record: JSON.parse(row.value) as SessionRecord } : null;
  });
}

describe('grants in the session object (ARCHITECTURE.md: one Durable Object per browser session, holding its grants)', () => {
  it('makes the grant in the session\'s object: the code, refresh token and grant id all name it', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const tokens = (await (await redeemCode(client, code)).json()) as { refresh_token: string };
    expect(code.grantId).toBe(`${code.sessionId}-1`);
    expect(code.code.split('.')[0]).toBe(code.sessionId);
    expect(tokens.refresh_token.split('.')[0]).toBe(code.sessionId);
    expect((await storedRecord(code.sessionId))!.record.grants).toHaveLength(1);
  });

  it('stores only SHA-256 hashes of the code and refresh tokens, never the secrets', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const tokens = (await (await redeemCode(client, code)).json()) as { refresh_token: string };
    const stored = (await storedRecord(code.sessionId))!;
    const [codeSecret, refreshSecret] = [code.code.split('.')[1]!, tokens.refresh_token.split('.')[1]!];
    expect(stored.text).not.toContain(codeSecret);
    expect(stored.text).not.toContain(refreshSecret);
    expect(stored.record.grants[0]).toMatchObject({ code: { hash: await sha256(codeSecret) }, refresh: { hash: await sha256(refreshSecret) } });
  });

  it('keeps spent refresh tokens (hashes) to recognise their reuse', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await testPorts().grants.rotateRefreshToken({ refreshToken: tokens.refresh_token!, clientId: client.client_id, scope: null });
    const { record } = (await storedRecord(tokens.sessionId))!;
    expect(record.grants[0]!.spentRefreshHashes).toEqual([await sha256(tokens.refresh_token!.split('.')[1]!)]);
  });

  it('ends with the session that made it, even when a later authentication (step-up) would allow longer', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    // Authenticated just now, in a session that ends in 90 s (it began nearly SESSION_MAX_AGE ago).
    const sessionExpiresAt = Date.now() + 90_000;
    const code = await issueTestCode({ client, person, sessionExpiresAt });
    const tokens = (await (await redeemCode(client, code)).json()) as { access_token: string; expires_in: number; refresh_token: string };
    const grant = (await storedRecord(code.sessionId))!.record.grants[0]!;
    expect(grant.expiresAt).toBe(sessionExpiresAt);
    expect(grant.refresh!.expiresAt).toBeLessThanOrEqual(sessionExpiresAt);
    expect(tokens.expires_in).toBeLessThanOrEqual(90);
  });

  it('is found through the session indexed under its person (CONTRACT §4)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    expect(await personObjects(testDatabase(), person.id, 'session', Date.now())).toEqual([code.sessionId]);
  });

  it('issues no code in a session that has ended, nor in one that does not exist', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const { grants, sessions } = testPorts();
    expect(await sessions.end(code.sessionId)).not.toBeNull();
    expect(await grants.issueCode(code.input)).toBeNull();
    expect(await grants.issueCode({ ...code.input, sessionId: workerEnv.SESSIONS.newUniqueId().toString() })).toBeNull();
    expect(await grants.issueCode({ ...code.input, sessionId: 'not-an-id' })).toBeNull();
  });

  it('leaves nothing behind once its session has ended and its unredeemed code has expired', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person, store: grantStoreAt(() => Date.now() - 120_000) });
    expect(await storedRecord(code.sessionId)).not.toBeNull();
    await testPorts().sessions.end(code.sessionId);
    expect(await storedRecord(code.sessionId)).toBeNull();
    expect(await runInDurableObject(sessionObject(code.sessionId), (_, state) => state.storage.getAlarm())).toBeNull();
  });

  it('revokes a redeemed grant when its session ends, keeping the record while its tokens may live (Back-Channel Logout 1.0 §2.7)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await testPorts().sessions.end(tokens.sessionId);
    await runDurableObjectAlarm(sessionObject(tokens.sessionId));
    expect(await testPorts().grants.findGrant(tokens.grantId)).toBeNull();
    const { record } = (await storedRecord(tokens.sessionId))!;
    expect(record).toMatchObject({ session: null, endedAt: expect.any(Number) });
    expect(record.grants[0]!.revoked).toEqual({ at: record.endedAt, reason: 'session_ended' });
  });

  it('keeps a redeemed grant holding offline_access after its session ends (OIDC Core §11)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person, scope: ['openid', 'offline_access'] });
    await testPorts().sessions.end(tokens.sessionId);
    await runDurableObjectAlarm(sessionObject(tokens.sessionId));
    expect(await testPorts().grants.findGrant(tokens.grantId)).toMatchObject({ grantId: tokens.grantId, clientId: client.client_id, sessionEnded: true });
  });

  it('answers revoke(grantId) with false for unknown and malformed ids, true for a grant', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const grants = testPorts().grants;
    expect(await grants.revoke('not-an-id', 'test')).toBe(false);
    expect(await grants.revoke(code.sessionId, 'test')).toBe(false);
    expect(await grants.revoke(`${code.sessionId}-2`, 'test')).toBe(false);
    expect(await grants.revoke(`${workerEnv.SESSIONS.newUniqueId().toString()}-1`, 'test')).toBe(false);
    expect(await grants.revoke(code.grantId, 'deactivated')).toBe(true);
    // A revoked grant's code is refused too.
    expect((await redeemCode(client, code)).status).toBe(400);
  });

  it('is revoked when its person is deactivated through SCIM, even after its session ended (CONTRACT §4)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const [live, ofEnded] = [await signIn(client, { person }), await signIn(client, { person, scope: ['openid', 'offline_access'] })];
    await testPorts().sessions.end(ofEnded.sessionId);
    expect(await testPorts().grants.findGrant(ofEnded.grantId)).not.toBeNull();
    expect((await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
    expect(await testPorts().grants.findGrant(live.grantId)).toBeNull();
    expect(await testPorts().grants.findGrant(ofEnded.grantId)).toBeNull();
  });

  it('reports no live grant before its code is redeemed', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    expect(await testPorts().grants.findGrant(code.grantId)).toBeNull();
  });
});

describe('the TTL store behind the replay cache and revocation list', () => {
  it('accepts a key once until it expires', async () => {
    const { replay } = testPorts();
    const key = `test:${crypto.randomUUID()}`;
    expect(await replay.firstUse(key, Date.now() + 60_000)).toBe(true);
    expect(await replay.firstUse(key, Date.now() + 60_000)).toBe(false);
    const expired = `test:${crypto.randomUUID()}`;
    expect(await replay.firstUse(expired, Date.now() - 1)).toBe(true);
    expect(await replay.firstUse(expired, Date.now() + 60_000)).toBe(true);
  });

  it('lets exactly one of many concurrent first uses win', async () => {
    const { replay } = testPorts();
    const key = `test:${crypto.randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => replay.firstUse(key, Date.now() + 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lists a revoked jti until its expiry', async () => {
    const { revocations } = testPorts();
    const jti = `cc.${crypto.randomUUID()}`;
    expect(await revocations.isRevoked(jti)).toBe(false);
    await revocations.revoke(jti, Date.now() + 60_000);
    expect(await revocations.isRevoked(jti)).toBe(true);
  });
});
