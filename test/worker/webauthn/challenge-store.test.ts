// The ChallengeStore port over ChallengeObject: single use, short-lived, and
// leaves nothing behind (WebAuthn §13.4.3).
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ChallengeObject } from '../../../workers/challenge-object.ts';
import { createChallengeStore } from '../../../workers/challenge-store.ts';
import type { Env } from '../../../workers/env.ts';
import { unique } from '../../support/worker/requests.ts';

const ns = (env as unknown as Env).CHALLENGES;
const store = createChallengeStore(ns);

describe('ChallengeStore over ChallengeObject', () => {
  it('gives a challenge back once, then null', async () => {
    const key = unique('challenge');
    await store.put(key, 'c1', 300);
    expect(await store.take(key)).toBe('c1');
    expect(await store.take(key)).toBeNull();
  });

  it('keeps only the latest challenge under a key', async () => {
    const key = unique('challenge');
    await store.put(key, 'old', 300);
    await store.put(key, 'new', 300);
    expect(await store.take(key)).toBe('new');
  });

  it('keeps keys apart', async () => {
    const [a, b] = [unique('challenge'), unique('challenge')];
    await store.put(a, 'for-a', 300);
    expect(await store.take(b)).toBeNull();
    expect(await store.take(a)).toBe('for-a');
  });

  it('lets exactly one of many concurrent takes win', async () => {
    const key = unique('challenge');
    await store.put(key, 'only-once', 300);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.take(key)));
    expect(results.filter((r) => r === 'only-once')).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(19);
  });

  it('refuses an expired challenge and clears it when its alarm fires', async () => {
    const key = unique('challenge');
    const stub = ns.get(ns.idFromName(key));
    await store.put(key, 'stale', 300);
    // Move the expiry into the past, as if five minutes had gone by.
    await runInDurableObject(stub, (_o: ChallengeObject, state) => {
      state.storage.kv.put('challenge', { value: 'stale', expiresAt: Date.now() - 1 });
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, (_o: ChallengeObject, state) => [...state.storage.kv.list()].length);
    expect(left).toBe(0);
    expect(await store.take(key)).toBeNull();
  });

  it('returns null for an expired challenge still held', async () => {
    const key = unique('challenge');
    const stub = ns.get(ns.idFromName(key));
    await store.put(key, 'stale', 300);
    await runInDurableObject(stub, (_o: ChallengeObject, state) => {
      state.storage.kv.put('challenge', { value: 'stale', expiresAt: Date.now() - 1 });
    });
    expect(await store.take(key)).toBeNull();
  });
});
