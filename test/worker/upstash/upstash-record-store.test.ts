// The Upstash record and challenge stores (the Deno entry's exactly-once state),
// inside workerd against a real redis-server behind the REST bridge.
import { describe, expect, it } from 'vitest';
import { applyWithRetry } from '../../../src/state/record-store.ts';
import { KEY_PREFIX } from '../../../src/upstash/client.ts';
import { createUpstashChallengeStore } from '../../../src/upstash/challenge-store.ts';
import { createUpstashRecordStore } from '../../../src/upstash/record-store.ts';
import { upstashCalls } from '../../support/worker/upstash.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (what: string) => `${what}-${crypto.randomUUID()}`;

type Counter = { n: number; spent: boolean };

describe('record store over Upstash', () => {
  it('writes only while the version is the one read, and deletes the same way', async () => {
    const store = createUpstashRecordStore(upstashCalls(), 'test');
    const key = unique('rec');
    const expiresAt = Date.now() + 60_000;
    expect(await store.read(key)).toBeNull();
    expect(await store.compareAndSet(key, 1, { n: 1, spent: false }, expiresAt)).toBe(false);
    expect(await store.compareAndSet(key, 0, { n: 1, spent: false }, expiresAt)).toBe(true);
    expect(await store.compareAndSet(key, 0, { n: 9, spent: false }, expiresAt)).toBe(false);
    expect(await store.read(key)).toEqual({ value: { n: 1, spent: false }, version: 1, expiresAt });
    expect(await store.compareAndSet(key, 1, { n: 2, spent: false }, expiresAt)).toBe(true);
    expect(await store.compareAndSet(key, 1, null, expiresAt)).toBe(false);
    expect(await store.compareAndSet(key, 2, null, expiresAt)).toBe(true);
    expect(await store.read(key)).toBeNull();
  });

  it('forgets a record at its expiry, in Redis too', async () => {
    const calls = upstashCalls();
    const store = createUpstashRecordStore(calls, 'test');
    const key = unique('rec');
    await store.compareAndSet(key, 0, { n: 1, spent: false }, Date.now() + 60_000);
    const ttl = await calls.call((redis) => redis.pttl(`${KEY_PREFIX}rec:test:${key}`));
    expect(ttl).toBeGreaterThan(55_000);
    await store.compareAndSet(key, 1, { n: 2, spent: false }, Date.now() + 300);
    await sleep(500);
    expect(await store.read(key)).toBeNull();
  });

  it('applies every one of many concurrent updates exactly once', async () => {
    const store = createUpstashRecordStore(upstashCalls(), 'test');
    const key = unique('rec');
    const expiresAt = Date.now() + 60_000;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        applyWithRetry<Counter, null>(store, key, (current) => ({ next: { n: (current?.n ?? 0) + 1, spent: false }, result: null }), () => expiresAt),
      ),
    );
    expect(((await store.read(key))?.value as Counter).n).toBe(6);
  });

  it('lets exactly one of two concurrent single-use takes win (RFC 6749 §4.1.2)', async () => {
    const store = createUpstashRecordStore(upstashCalls(), 'test');
    const key = unique('rec');
    const expiresAt = Date.now() + 60_000;
    await store.compareAndSet(key, 0, { n: 0, spent: false }, expiresAt);
    const take = () =>
      applyWithRetry<Counter, boolean>(
        store,
        key,
        (current) => (current && !current.spent ? { next: { ...current, spent: true }, result: true } : { next: 'unchanged', result: false }),
        () => expiresAt,
      );
    for (let round = 0; round < 10; round++) {
      await store.compareAndSet(key, (await store.read(key))!.version, { n: round, spent: false }, expiresAt);
      const wins = await Promise.all([take(), take()]);
      expect(wins.filter(Boolean)).toHaveLength(1);
    }
  });
});

describe('challenge store over Upstash', () => {
  it('hands a challenge out once, and not after it expired (W3C WebAuthn §13.4.3)', async () => {
    const challenges = createUpstashChallengeStore(upstashCalls());
    const key = unique('enrol');
    await challenges.put(key, 'c1', 60);
    await challenges.put(key, 'c2', 60);
    const takes = await Promise.all([challenges.take(key), challenges.take(key)]);
    expect(takes.sort()).toEqual(['c2', null].sort());
    await challenges.put(key, 'c3', 1);
    await sleep(1_200);
    expect(await challenges.take(key)).toBeNull();
  });
});
