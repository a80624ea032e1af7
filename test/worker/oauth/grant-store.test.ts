import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { personObjects } from '../../../src/directory/person-index.ts';
import { sha256 } from '../../../src/secrets.ts';
import { LOCATION_HINT } from '../../../workers/env.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { createUser, patchUser } from '../../support/worker/scim.ts';
import { grantStoreAt, issueTestCode, redeemCode, signIn, testPorts, workerEnv } from '../../support/worker/tokens.ts';

const grantObject = (grantId: string) => workerEnv.GRANTS.get(workerEnv.GRANTS.idFromString(grantId), { locationHint: LOCATION_HINT });

function storedRows(grantId: string) {
  return runInDurableObject(grantObject(grantId), (_, state) => {
    const tables = state.storage.sql.exec(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'`).toArray();
    if (!tables.some((t) => t.name === 'grant_state')) return null;
    return {
      grant: state.storage.sql.exec(`SELECT * FROM grant_state`).toArray(),
      spent: state.storage.sql.exec(`SELECT * FROM spent_refresh_tokens`).toArray(),
    };
  });
}

describe('the grant object (ARCHITECTURE.md: one Durable Object per grant)', () => {
  it('stores only SHA-256 hashes of the code and refresh tokens, never the secrets', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const tokens = (await (await redeemCode(client, code)).json()) as { refresh_token: string };
    const rows = await storedRows(code.grantId);
    const stored = JSON.stringify(rows);
    const [codeSecret, refreshSecret] = [code.code.split('.')[1]!, tokens.refresh_token.split('.')[1]!];
    expect(stored).not.toContain(codeSecret);
    expect(stored).not.toContain(refreshSecret);
    expect(rows!.grant[0]).toMatchObject({ code_hash: await sha256(codeSecret), refresh_hash: await sha256(refreshSecret) });
  });

  it('keeps spent refresh tokens (hashes) to recognise their reuse', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await testPorts().grants.rotateRefreshToken({ refreshToken: tokens.refresh_token!, clientId: client.client_id, scope: null });
    const rows = await storedRows(tokens.grantId);
    expect(rows!.spent).toEqual([{ hash: await sha256(tokens.refresh_token!.split('.')[1]!), spent_at: expect.any(Number) }]);
  });

  it('ends with the session that made it, even when a later authentication (step-up) would allow longer', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    // Authenticated just now, in a session that ends in 90 s (it began nearly SESSION_MAX_AGE ago).
    const sessionExpiresAt = Date.now() + 90_000;
    const code = await issueTestCode({ client, person, sessionExpiresAt });
    const tokens = (await (await redeemCode(client, code)).json()) as { access_token: string; expires_in: number; refresh_token: string };
    const [row] = (await storedRows(code.grantId))!.grant as { expires_at: number; refresh_expires_at: number }[];
    expect(row!.expires_at).toBe(sessionExpiresAt);
    expect(row!.refresh_expires_at).toBeLessThanOrEqual(sessionExpiresAt);
    expect(tokens.expires_in).toBeLessThanOrEqual(90);
  });

  it('indexes the grant under its person when the code is issued (CONTRACT §4)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    expect(await personObjects(testDatabase(), person.id, 'grant', Date.now())).toEqual([code.grantId]);
  });

  it('deletes everything once an unredeemed code has expired (alarm)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person, store: grantStoreAt(() => Date.now() - 120_000) });
    expect(await storedRows(code.grantId)).not.toBeNull();
    await runDurableObjectAlarm(grantObject(code.grantId));
    expect(await storedRows(code.grantId)).toBeNull();
  });

  it('keeps a redeemed grant past the code expiry, while its tokens may live', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    await runDurableObjectAlarm(grantObject(tokens.grantId));
    expect(await testPorts().grants.findGrant(tokens.grantId)).toMatchObject({ grantId: tokens.grantId, clientId: client.client_id });
  });

  it('answers revoke(grantId) with false for unknown and malformed ids, true for a grant', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const grants = testPorts().grants;
    expect(await grants.revoke('not-an-id', 'test')).toBe(false);
    expect(await grants.revoke(workerEnv.GRANTS.newUniqueId().toString(), 'test')).toBe(false);
    expect(await grants.revoke(code.grantId, 'deactivated')).toBe(true);
    // A revoked grant's code is refused too.
    expect((await redeemCode(client, code)).status).toBe(400);
  });

  it('is revoked when its person is deactivated through SCIM (CONTRACT §4)', async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const tokens = await signIn(client, { person });
    expect((await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
    expect(await testPorts().grants.findGrant(tokens.grantId)).toBeNull();
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

  it('counts uses within a window, for rate limits', async () => {
    const stub = workerEnv.LIMITS.get(workerEnv.LIMITS.idFromName(`test:${crypto.randomUUID()}`));
    const until = Date.now() + 60_000;
    expect(await stub.increment('k', until, Date.now())).toBe(1);
    expect(await stub.increment('k', until, Date.now())).toBe(2);
    // Past the window's end, counting starts again.
    expect(await stub.increment('k', until + 60_000, until + 1)).toBe(1);
  });
});
