// The device authorization store over the memory record store (the portable
// path Deno runs over Upstash): polling states, the interval, single decisions
// and single redemption, with racing writers.
import { describe, expect, it } from 'vitest';
import { deviceStoreOn } from '../../../src/device/device-store.ts';
import { recordStoreDeviceObjects } from '../../../src/device/device-objects.ts';
import { EXPIRED_ANSWER_MS } from '../../../src/device/device-rules.ts';
import { MemoryRecordStore, raceReads } from '../../support/memory-record-store.ts';

const T0 = 1_900_000_000_000;

function setup() {
  let now = T0;
  const records = new MemoryRecordStore(() => now);
  const store = deviceStoreOn(recordStoreDeviceObjects(records));
  return { records, store, at: (ms: number) => (now = T0 + ms) };
}

const REQUEST = { clientId: 'device-client', scope: ['openid'], acrValues: [], lifetimeSeconds: 600, intervalSeconds: 5 };

describe('device authorization store (RFC 8628 §3.4, §3.5)', () => {
  it('answers authorization_pending, then slow_down adding 5 s to the interval when polled faster than it (§3.5)', async () => {
    const { store, at } = setup();
    const created = await store.create(REQUEST, T0);
    expect((await store.poll(created.deviceCode, 'device-client', at(0))).outcome).toEqual({ kind: 'authorization_pending' });
    expect((await store.poll(created.deviceCode, 'device-client', at(2_000))).outcome).toEqual({ kind: 'slow_down', interval: 10 });
    // The new interval holds from the last poll: 6 s later is still too fast.
    expect((await store.poll(created.deviceCode, 'device-client', at(8_000))).outcome).toEqual({ kind: 'slow_down', interval: 15 });
    expect((await store.poll(created.deviceCode, 'device-client', at(23_000))).outcome).toEqual({ kind: 'authorization_pending' });
    expect((await store.find(created.id, at(23_000)))!.interval).toBe(15);
  });

  it('finds the authorization by its user code while it is live, not after', async () => {
    const { store, at } = setup();
    const created = await store.create(REQUEST, T0);
    expect(await store.findByUserCode(created.userCode, at(1_000))).toMatchObject({ id: created.id, clientId: 'device-client', status: 'pending' });
    expect(await store.findByUserCode(created.userCode, at(600_000))).toBeNull();
  });

  it('answers expired_token after expires_in, and invalid_grant once the record is gone', async () => {
    const { store, at } = setup();
    const created = await store.create(REQUEST, T0);
    expect((await store.poll(created.deviceCode, 'device-client', at(600_000))).outcome).toEqual({ kind: 'expired_token' });
    expect((await store.poll(created.deviceCode, 'device-client', at(600_000 + EXPIRED_ANSWER_MS))).outcome).toMatchObject({ kind: 'invalid_grant' });
  });

  it('refuses a device code of another client, a wrong secret and a malformed code with invalid_grant (§3.4)', async () => {
    const { store } = setup();
    const created = await store.create(REQUEST, T0);
    expect((await store.poll(created.deviceCode, 'other-client', T0)).outcome).toEqual({ kind: 'invalid_grant', reason: 'client_mismatch' });
    const forged = `${created.id}.${'A'.repeat(43)}`;
    expect((await store.poll(forged, 'device-client', T0)).outcome).toEqual({ kind: 'invalid_grant', reason: 'unknown' });
    expect((await store.poll('not-a-code', 'device-client', T0)).outcome).toEqual({ kind: 'invalid_grant', reason: 'unknown' });
  });

  it('answers access_denied after a denial, and takes no second decision', async () => {
    const { store, at } = setup();
    const created = await store.create(REQUEST, T0);
    expect(await store.decide(created.id, null, at(1_000))).toBe(true);
    expect(await store.decide(created.id, { grantId: 'g', personId: 'p' }, at(2_000))).toBe(false);
    expect((await store.poll(created.deviceCode, 'device-client', at(3_000))).outcome).toEqual({ kind: 'access_denied' });
  });

  it('lets exactly one of two simultaneous approvals win', async () => {
    const { records, store } = setup();
    const created = await store.create(REQUEST, T0);
    raceReads(records, 2);
    const results = await Promise.all([
      store.decide(created.id, { grantId: 'g-1', personId: 'p-1' }, T0 + 1),
      store.decide(created.id, { grantId: 'g-2', personId: 'p-2' }, T0 + 1),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('gives the approved grant to exactly one of two simultaneous polls; the other and later ones get invalid_grant', async () => {
    const { records, store, at } = setup();
    const created = await store.create(REQUEST, T0);
    await store.decide(created.id, { grantId: 'g-1', personId: 'p-1' }, at(1_000));
    raceReads(records, 2);
    const polls = await Promise.all([store.poll(created.deviceCode, 'device-client', at(10_000)), store.poll(created.deviceCode, 'device-client', at(10_000))]);
    const outcomes = polls.map((p) => p.outcome);
    expect(outcomes.filter((o) => o.kind === 'approved')).toEqual([{ kind: 'approved', grantId: 'g-1', personId: 'p-1' }]);
    expect(outcomes.filter((o) => o.kind === 'invalid_grant')).toEqual([{ kind: 'invalid_grant', reason: 'redeemed' }]);
    expect(records.conflicts).toBeGreaterThan(0);
    expect((await store.poll(created.deviceCode, 'device-client', at(20_000))).outcome).toEqual({ kind: 'invalid_grant', reason: 'redeemed' });
  });

  it('keeps only a hash of the device code secret', async () => {
    const { records, store } = setup();
    const created = await store.create(REQUEST, T0);
    const secret = created.deviceCode.split('.')[1]!;
    const stored = await records.read(`device:${created.id}`);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });
});
