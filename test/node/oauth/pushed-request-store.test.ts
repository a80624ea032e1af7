// The pushed request store over a compare-and-set record store (the path the
// Deno entry takes over Upstash): single use under a race, bound to its client.
import { describe, expect, it } from 'vitest';
import { pushedRequestStoreOn, REQUEST_URI_PREFIX } from '../../../src/oauth/pushed-request-store.ts';
import { MemoryRecordStore } from '../../support/memory-record-store.ts';

const PARAMS = { response_type: 'code', client_id: 'rp-1', state: 's' };

describe('pushedRequestStoreOn (RFC 9126 §4)', () => {
  it('lets exactly one of two simultaneous takes of a request_uri win', async () => {
    const records = new MemoryRecordStore();
    const store = pushedRequestStoreOn(records);
    const uri = await store.push('rp-1', PARAMS, 60);
    // Both readers see the record before either deletes it: the compare-and-set decides.
    let arrived = 0;
    let release!: () => void;
    const together = new Promise<void>((r) => (release = r));
    records.afterRead = async () => {
      if (++arrived === 2) release();
      if (arrived <= 2) await together;
    };
    const outcomes = await Promise.all([store.take(uri, 'rp-1'), store.take(uri, 'rp-1')]);
    expect(outcomes.filter((o) => o.ok)).toEqual([{ ok: true, params: PARAMS }]);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, reason: 'unknown' }]);
    expect(records.conflicts).toBeGreaterThan(0);
  });

  it('refuses another client and leaves the request for its owner', async () => {
    const store = pushedRequestStoreOn(new MemoryRecordStore());
    const uri = await store.push('rp-1', PARAMS, 60);
    expect(await store.take(uri, 'rp-2')).toEqual({ ok: false, reason: 'client_mismatch' });
    expect(await store.take(uri, 'rp-1')).toMatchObject({ ok: true });
  });

  it('forgets a request once its lifetime has passed (RFC 9126 §2.2 expires_in)', async () => {
    let now = 1_000_000;
    const store = pushedRequestStoreOn(new MemoryRecordStore(() => now), () => now);
    const uri = await store.push('rp-1', PARAMS, 60);
    now += 60_000;
    expect(await store.take(uri, 'rp-1')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('keys the record by a hash of the reference, never the reference itself', async () => {
    const records = new MemoryRecordStore();
    const uri = await pushedRequestStoreOn(records).push('rp-1', PARAMS, 60);
    expect(uri.startsWith(REQUEST_URI_PREFIX)).toBe(true);
    expect(records.keys()).toHaveLength(1);
    expect(records.keys()[0]).not.toBe(uri.slice(REQUEST_URI_PREFIX.length));
  });

  it('answers unknown for a malformed request_uri without reading the store', async () => {
    const store = pushedRequestStoreOn(new MemoryRecordStore());
    expect(await store.take('https://evil.example/request', 'rp-1')).toEqual({ ok: false, reason: 'unknown' });
    expect(await store.take(`${REQUEST_URI_PREFIX}short`, 'rp-1')).toEqual({ ok: false, reason: 'unknown' });
  });
});
