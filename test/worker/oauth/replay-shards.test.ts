// The replay cache and revocation list spread keys over a fixed set of
// RateLimiterObjects (workers/ttl-store.ts): still exactly-once per key.
import { env as testEnv } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../../workers/env.ts';
import { createReplayCache, createRevocationList, shardOf, TTL_SHARDS } from '../../../workers/ttl-store.ts';

const env = testEnv as unknown as Env;
const now = () => Date.now();

describe('sharded TTL stores', () => {
  it('puts a key in the same shard every time and spreads keys over every shard', () => {
    const counts = new Array<number>(TTL_SHARDS).fill(0);
    for (let i = 0; i < TTL_SHARDS * 100; i++) counts[shardOf(`jti-${i}-${crypto.randomUUID()}`)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(160);
    expect(shardOf('a fixed key')).toBe(shardOf('a fixed key'));
  });

  it('accepts a jti once, even when the same jti arrives twenty times at once', async () => {
    const replay = createReplayCache(env.LIMITS, now);
    const jti = `jti-${crypto.randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => replay.firstUse(jti, now() + 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await replay.firstUse(jti, now() + 60_000)).toBe(false);
  });

  it('keeps keys that share a shard apart', async () => {
    const replay = createReplayCache(env.LIMITS, now);
    const first = `jti-${crypto.randomUUID()}`;
    let second = `jti-${crypto.randomUUID()}`;
    while (shardOf(second) !== shardOf(first)) second = `jti-${crypto.randomUUID()}`;
    expect(await replay.firstUse(first, now() + 60_000)).toBe(true);
    expect(await replay.firstUse(second, now() + 60_000)).toBe(true);
  });

  it('reports a revoked jti as revoked and its shard-mates as not', async () => {
    const revocations = createRevocationList(env.LIMITS, now);
    const jti = `cc.${crypto.randomUUID()}`;
    let mate = `cc.${crypto.randomUUID()}`;
    while (shardOf(mate) !== shardOf(jti)) mate = `cc.${crypto.randomUUID()}`;
    await revocations.revoke(jti, now() + 60_000);
    expect(await revocations.isRevoked(jti)).toBe(true);
    expect(await revocations.isRevoked(mate)).toBe(false);
  });
});
