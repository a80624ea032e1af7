import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { WindowLimiter } from '../../../src/limits/window-limiter.ts';
import type { Env } from '../../../workers/env.ts';
import { createRateLimitStore } from '../../../workers/rate-limit-store.ts';

const REQUESTS = 1000;

describe('what the isolate batching saves on the token endpoint (README "Lockout and rate limits")', () => {
  it('counts 1,000 requests with a handful of Durable Object round trips instead of 1,000', async () => {
    const store = createRateLimitStore((env as unknown as Env).LIMITS);
    let calls = 0;
    const counted = { ...store, hit: (...args: Parameters<typeof store.hit>) => (calls++, store.hit(...args)) };
    const scope = `address:cost-${crypto.randomUUID()}`;

    let started = Date.now();
    for (let i = 0; i < REQUESTS; i++) await store.hit(`${scope}-exact`, 'token', 60_000, Date.now());
    const exactMs = Date.now() - started;

    const limiter = new WindowLimiter(counted, 60_000);
    started = Date.now();
    for (let i = 0; i < REQUESTS; i++) expect(await limiter.take(scope, 'token', 240_000, Date.now())).toBeNull();
    const batchedMs = Date.now() - started;

    console.log(
      `rate limiting ${REQUESTS} requests: one DO round trip each ${exactMs} ms (${((exactMs / REQUESTS) * 1000).toFixed(0)} µs/request); ` +
        `batched in the isolate ${batchedMs} ms with ${calls} round trips`,
    );
    expect(calls).toBeLessThan(REQUESTS / 10);
    const [entry] = Object.values(await store.read(scope, ['token'], Date.now()));
    expect(entry!.count).toBeGreaterThan(0);
  });
});
