// Pushed authorization requests (RFC 9126) over the Upstash record store, the
// Deno entry's path, against a real redis-server: of many simultaneous takes
// of one request_uri exactly one wins.
import { describe, expect, it } from 'vitest';
import { pushedRequestStoreOn } from '../../../src/oauth/pushed-request-store.ts';
import { createUpstashRecordStore } from '../../../src/upstash/record-store.ts';
import { upstashCalls } from '../../support/worker/upstash.ts';

describe('pushed requests over Upstash (RFC 9126 §4)', () => {
  it('lets exactly one of eight simultaneous takes of a request_uri win', async () => {
    const store = pushedRequestStoreOn(createUpstashRecordStore(upstashCalls(), 'par'));
    const uri = await store.push('rp-1', { response_type: 'code' }, 60);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.take(uri, 'rp-1')));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'unknown')).toHaveLength(7);
  });

  it('leaves a request taken by the wrong client for its owner', async () => {
    const store = pushedRequestStoreOn(createUpstashRecordStore(upstashCalls(), 'par'));
    const uri = await store.push('rp-1', { response_type: 'code' }, 60);
    expect(await store.take(uri, 'rp-2')).toEqual({ ok: false, reason: 'client_mismatch' });
    expect(await store.take(uri, 'rp-1')).toMatchObject({ ok: true });
  });
});
