import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../src/limits/client-address.ts';
import { FLUSH_INTERVAL_MS, WindowLimiter } from '../../../src/limits/window-limiter.ts';
import { MemoryRateLimitStore } from '../../support/node/memory-rate-limit-store.ts';

const T0 = 1_700_000_000_000;

describe('the window limiter (docs/assurance.md, request limits)', () => {
  it('allows exactly `limit` requests in a window when the limit is small, then answers the seconds left', async () => {
    const limiter = new WindowLimiter(new MemoryRateLimitStore(), 60_000);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await limiter.take('address:a', 'token', 3, T0 + i * 1000));
    expect(answers).toEqual([null, null, null, 57]);
  });

  it('resets when the window ends', async () => {
    const limiter = new WindowLimiter(new MemoryRateLimitStore(), 60_000);
    for (let i = 0; i < 3; i++) await limiter.take('address:a', 'token', 3, T0);
    expect(await limiter.take('address:a', 'token', 3, T0 + 59_999)).toBe(1);
    expect(await limiter.take('address:a', 'token', 3, T0 + 60_000)).toBeNull();
  });

  it('counts addresses and endpoints apart', async () => {
    const limiter = new WindowLimiter(new MemoryRateLimitStore(), 60_000);
    await limiter.take('address:a', 'token', 1, T0);
    expect(await limiter.take('address:a', 'token', 1, T0)).not.toBeNull();
    expect(await limiter.take('address:b', 'token', 1, T0)).toBeNull();
    expect(await limiter.take('address:a', 'scim', 1, T0)).toBeNull();
  });

  it('reaches the shared store about once per limit/20 requests when far from a large limit', async () => {
    const store = new MemoryRateLimitStore();
    const limiter = new WindowLimiter(store, 60_000);
    for (let i = 0; i < 1000; i++) expect(await limiter.take('address:a', 'token', 6000, T0)).toBeNull();
    // One flush to learn the window, then one per batch of 300.
    expect(store.calls).toBeLessThanOrEqual(5);
    expect([...store.entries.values()][0]!.count).toBeGreaterThan(1000 - 300);
  });

  it('flushes a partial batch once the flush interval has passed', async () => {
    const store = new MemoryRateLimitStore();
    const limiter = new WindowLimiter(store, 60_000);
    await limiter.take('address:a', 'token', 6000, T0);
    await limiter.take('address:a', 'token', 6000, T0 + 10);
    expect(store.calls).toBe(1);
    await limiter.take('address:a', 'token', 6000, T0 + FLUSH_INTERVAL_MS + 1);
    expect(store.calls).toBe(2);
    expect([...store.entries.values()][0]!.count).toBe(3);
  });

  it('sees what other isolates counted at its next flush', async () => {
    const store = new MemoryRateLimitStore();
    const [one, two] = [new WindowLimiter(store, 60_000), new WindowLimiter(store, 60_000)];
    for (let i = 0; i < 5; i++) await one.take('address:a', 'token', 5, T0);
    expect(await two.take('address:a', 'token', 5, T0)).toBe(60);
  });
});

describe('the address a request is counted under', () => {
  it.each([
    [undefined, 'local'],
    ['', 'local'],
    ['not an address', 'local'],
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:85a3:1:2:8a2e:370:7334', '2001:db8:85a3:1::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0DB8:0000:0042::ff', '2001:db8:0:42::/64'],
    ['::1', '0:0:0:0::/64'],
    ['1:2:3:4:5:6:7:8:9', 'local'],
  ])('counts %j as %j (IPv6 per /64)', (header, key) => {
    expect(addressKey(header)).toBe(key);
  });
});
