import { eq } from 'drizzle-orm';
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { JSONWebKeySet } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../schema/audit.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import type { Env } from '../../../workers/env.ts';
import { createKeyStore, keysObject } from '../../../workers/key-store.ts';
import { adminCall, call, unique } from '../../support/worker/requests.ts';

const workerEnv = env as unknown as Env;
const config = readConfig(workerEnv);
const stub = () => keysObject(workerEnv.KEYS);

type Row = { kid: string; alg: string; state: string; retire_until: number | null };

function storedKeys(): Promise<Row[]> {
  return runInDurableObject(stub(), (_, state) =>
    state.storage.sql.exec<Row>('SELECT kid, alg, state, retire_until FROM signing_keys').toArray(),
  );
}

const kidOf = (rows: Row[], alg: string, state: string) => rows.find((r) => r.alg === alg && r.state === state)?.kid;

async function publishedKids(): Promise<string[]> {
  const jwks = (await (await call('/jwks.json')).json()) as JSONWebKeySet;
  return jwks.keys.map((k) => k.kid!);
}

type RotateBody = { rotated: { alg: string; retired_kid: string; current_kid: string; next_kid: string }[] };

// Alarms outlive isolated storage between test files; leave none behind.
afterAll(async () => {
  await runInDurableObject(stub(), (_, state) => state.storage.deleteAlarm());
});

describe('POST /admin/keys/rotate', () => {
  it('refuses a request without the admin token with 401 and WWW-Authenticate (RFC 6750 §3)', async () => {
    const before = await storedKeys();
    const res = await call('/admin/keys/rotate', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses a wrong admin token with 401 invalid_token and rotates nothing', async () => {
    const before = await storedKeys();
    const res = await adminCall('/admin/keys/rotate', { method: 'POST', headers: { authorization: 'Bearer not-the-admin-token' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses GET with 405 and Allow: POST (CONTRACT §9)', async () => {
    const res = await adminCall('/admin/keys/rotate');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('retires the current key, promotes the published next key with its kid, and publishes a new next', async () => {
    await call('/jwks.json'); // keys exist before the rotation
    const before = await storedKeys();
    const requestId = unique('rotate');
    const res = await adminCall('/admin/keys/rotate', { method: 'POST', headers: { 'x-request-id': requestId } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { rotated } = (await res.json()) as RotateBody;
    const after = await storedKeys();
    const published = await publishedKids();
    for (const alg of ['RS256', 'ES256']) {
      const r = rotated.find((x) => x.alg === alg)!;
      expect(r.retired_kid).toBe(kidOf(before, alg, 'current'));
      expect(r.current_kid).toBe(kidOf(before, alg, 'next'));
      expect(kidOf(after, alg, 'current')).toBe(r.current_kid);
      expect(kidOf(after, alg, 'next')).toBe(r.next_kid);
      expect(before.map((k) => k.kid)).not.toContain(r.next_kid);
      const retired = after.find((k) => k.kid === r.retired_kid)!;
      expect(retired.state).toBe('retired');
      // Kept until every token it signed has expired: RETIRED_KEY_TTL from now.
      expect(retired.retire_until! - Date.now()).toBeGreaterThan((config.ttl.retiredKey - 60) * 1000);
      expect(published).toEqual(expect.arrayContaining([r.retired_kid, r.current_kid, r.next_kid]));
    }
    const db = createDatabase(config);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
    expect(events).toMatchObject([{ actor: 'admin', action: 'keys.rotate', outcome: 'success', details: { rotated } }]);
  });

  it('signs with the new current key at once in the isolate that rotated', async () => {
    const store = createKeyStore(workerEnv.KEYS, config);
    const before = await store.signingKey('ES256');
    const [rotation] = (await store.rotate()).filter((r) => r.alg === 'ES256');
    expect(rotation!.retiredKid).toBe(before.kid);
    const after = await store.signingKey('ES256');
    expect(after.kid).toBe(rotation!.currentKid);
    expect((await store.jwks()).keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([rotation!.retiredKid, rotation!.currentKid, rotation!.nextKid]),
    );
  });
});

describe('retired keys leave when their TTL has passed', () => {
  it('the alarm keeps a retired key still inside its TTL', async () => {
    await adminCall('/admin/keys/rotate', { method: 'POST' });
    const retired = (await storedKeys()).filter((k) => k.state === 'retired');
    expect(retired.length).toBeGreaterThan(0);
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    expect((await storedKeys()).filter((k) => k.state === 'retired')).toEqual(retired);
  });

  it('the alarm deletes a retired key past its TTL from storage and the JWKS', async () => {
    await adminCall('/admin/keys/rotate', { method: 'POST' });
    const [expired, ...others] = (await storedKeys()).filter((k) => k.state === 'retired');
    await runInDurableObject(stub(), async (_, state) => {
      state.storage.sql.exec('UPDATE signing_keys SET retire_until = ? WHERE kid = ?', Date.now() - 1, expired!.kid);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    const after = await storedKeys();
    expect(after.map((k) => k.kid)).not.toContain(expired!.kid);
    expect(after.filter((k) => k.state === 'retired')).toEqual(others);
    expect(await createKeyStore(workerEnv.KEYS, config).jwks()).not.toContainEqual(expect.objectContaining({ kid: expired!.kid }));
    // The next alarm waits for the soonest remaining retired key.
    const alarm = await runInDurableObject(stub(), (_, state) => state.storage.getAlarm());
    expect(alarm).toBe(Math.min(...others.map((k) => k.retire_until!)));
  });

  it('the JWKS leaves out a retired key past its TTL even before the alarm runs', async () => {
    await adminCall('/admin/keys/rotate', { method: 'POST' });
    const [expired] = (await storedKeys()).filter((k) => k.state === 'retired');
    await runInDurableObject(stub(), (_, state) => {
      state.storage.sql.exec('UPDATE signing_keys SET retire_until = ? WHERE kid = ?', Date.now() - 1, expired!.kid);
    });
    const kids = (await createKeyStore(workerEnv.KEYS, config).jwks()).keys.map((k) => k.kid);
    expect(kids).not.toContain(expired!.kid);
  });
});
