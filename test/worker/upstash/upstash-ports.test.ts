// The Upstash adapters of the replay cache, revocation list and rate-limit ports,
// run inside workerd against a real redis-server behind the REST bridge.
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../src/errors.ts';
import { createUpstashCalls, KEY_PREFIX } from '../../../src/upstash/client.ts';
import { upstashCalls, upstashEndpoint, upstashPorts } from '../../support/worker/upstash.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (what: string) => `${what}-${crypto.randomUUID()}`;

describe('replay cache over Upstash', () => {
  it('answers true only on the first use of a key, and again once it expired (RFC 7523 §3 item 7)', async () => {
    const { replay } = upstashPorts();
    const key = unique('jti');
    expect(await replay.firstUse(key, Date.now() + 400)).toBe(true);
    expect(await replay.firstUse(key, Date.now() + 400)).toBe(false);
    expect(await replay.firstUse(unique('jti'), Date.now() + 400)).toBe(true);
    await sleep(600);
    expect(await replay.firstUse(key, Date.now() + 60_000)).toBe(true);
  });

  it('lets exactly one of many concurrent first uses of a key succeed', async () => {
    const { replay } = upstashPorts();
    const key = unique('jti');
    const answers = await Promise.all(Array.from({ length: 8 }, () => replay.firstUse(key, Date.now() + 60_000)));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('keeps its keys under the service prefix, expiring when the entry does', async () => {
    const { replay } = upstashPorts();
    const key = unique('jti');
    const expiresAt = Date.now() + 60_000;
    await replay.firstUse(key, expiresAt);
    const ttl = await upstashCalls().call((redis) => redis.pttl(`${KEY_PREFIX}replay:${key}`));
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});

describe('revocation list over Upstash', () => {
  it('lists a revoked jti until it expires, and no other', async () => {
    const { revocations } = upstashPorts();
    const jti = unique('at');
    expect(await revocations.isRevoked(jti)).toBe(false);
    await revocations.revoke(jti, Date.now() + 60_000);
    expect(await revocations.isRevoked(jti)).toBe(true);
    expect(await revocations.isRevoked(unique('at'))).toBe(false);
    const brief = unique('at');
    await revocations.revoke(brief, Date.now() + 300);
    expect(await revocations.isRevoked(brief)).toBe(true);
    await sleep(500);
    expect(await revocations.isRevoked(brief)).toBe(false);
  });
});

describe('rate-limit store over Upstash', () => {
  const WINDOW = 60_000;

  it('counts hits in a fixed window that keeps its end, and starts a new one after it', async () => {
    const { limits } = upstashPorts();
    const scope = unique('address');
    const t0 = Date.now();
    expect(await limits.hit(scope, 'token', WINDOW, t0)).toEqual({ count: 1, resetAt: t0 + WINDOW });
    expect(await limits.hit(scope, 'token', WINDOW, t0 + 1_000)).toEqual({ count: 2, resetAt: t0 + WINDOW });
    expect(await limits.hit(scope, 'token', WINDOW, t0 + 2_000, 5)).toEqual({ count: 7, resetAt: t0 + WINDOW });
    // The window ends by the caller's clock, as the Durable Object judges it.
    expect(await limits.hit(scope, 'token', WINDOW, t0 + WINDOW)).toEqual({ count: 1, resetAt: t0 + 2 * WINDOW });
  });

  it('counts every one of many concurrent hits (the hit is atomic)', async () => {
    const { limits } = upstashPorts();
    const scope = unique('client');
    const now = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => limits.hit(scope, 'token', WINDOW, now)));
    expect(await limits.read(scope, ['token'], now)).toEqual({ token: { count: 20, resetAt: now + WINDOW } });
  });

  it('reads only live counters, puts exact ones and removes them', async () => {
    const { limits } = upstashPorts();
    const scope = unique('person');
    const now = Date.now();
    await limits.hit(scope, 'failures', 1_000, now);
    await limits.put(scope, 'blocked', { count: 2, resetAt: now + WINDOW });
    expect(await limits.read(scope, ['failures', 'blocked', 'absent'], now)).toEqual({
      failures: { count: 1, resetAt: now + 1_000 },
      blocked: { count: 2, resetAt: now + WINDOW },
    });
    expect(await limits.read(scope, ['failures', 'blocked'], now + 1_000)).toEqual({ blocked: { count: 2, resetAt: now + WINDOW } });
    await limits.put(scope, 'blocked', { count: 1, resetAt: now + 5_000 });
    expect(await limits.read(scope, ['blocked'], now)).toEqual({ blocked: { count: 1, resetAt: now + 5_000 } });
    await limits.remove(scope, ['failures', 'blocked']);
    expect(await limits.read(scope, ['failures', 'blocked'], now)).toEqual({});
    expect(await limits.read(scope, [], now)).toEqual({});
  });

  it('keeps scopes apart, and a scope whose name looks like a key prefix', async () => {
    const { limits } = upstashPorts();
    const scope = unique('a');
    const now = Date.now();
    await limits.hit(scope, 'k', WINDOW, now);
    await limits.hit(`${scope}}:k`, 'k', WINDOW, now);
    expect(await limits.read(scope, ['k'], now)).toEqual({ k: { count: 1, resetAt: now + WINDOW } });
    expect(await limits.read(unique('b'), ['k'], now)).toEqual({});
  });
});

describe('an Upstash outage', () => {
  it('surfaces as UnavailableError when the endpoint refuses or the token is wrong', async () => {
    const { url } = upstashEndpoint();
    const refused = upstashPorts(createUpstashCalls({ url: 'http://127.0.0.1:9', token: 't' }, 2_000));
    await expect(refused.replay.firstUse(unique('jti'), Date.now() + 60_000)).rejects.toBeInstanceOf(UnavailableError);
    const wrongToken = upstashPorts(createUpstashCalls({ url, token: 'wrong' }, 2_000));
    await expect(wrongToken.revocations.isRevoked(unique('at'))).rejects.toBeInstanceOf(UnavailableError);
  });

  it('surfaces as UnavailableError within the deadline when the endpoint never answers', async () => {
    const { silentUrl } = upstashEndpoint();
    const silent = upstashPorts(createUpstashCalls({ url: silentUrl, token: 't' }, 300));
    const started = Date.now();
    await expect(silent.limits.hit(unique('s'), 'k', 60_000, Date.now())).rejects.toBeInstanceOf(UnavailableError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
