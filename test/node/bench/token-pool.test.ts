import { describe, expect, it } from 'vitest';
import { introspection } from '../../../bench/scenarios/introspection.ts';
import { TokenPool } from '../../../bench/token-pool.ts';
import type { Target } from '../../../bench/target.ts';

const counter = () => {
  let n = 0;
  return async () => `token-${n++}`;
};

describe('TokenPool', () => {
  it('issues exactly the pool size, with bounded concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    let issued = 0;
    const pool = await TokenPool.fill(
      40,
      async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight -= 1;
        return `t${issued++}`;
      },
      8,
    );
    expect(pool.size).toBe(40);
    expect(issued).toBe(40);
    expect(most).toBeLessThanOrEqual(8);
  });

  it('hands out every token once before any comes round again', async () => {
    const pool = await TokenPool.fill(5, counter());
    const first = Array.from({ length: 5 }, () => pool.take());
    expect(new Set(first).size).toBe(5);
    expect(Array.from({ length: 5 }, () => pool.take())).toEqual(first);
  });

  it('refuses a pool whose provider hands out the same token twice', async () => {
    await expect(TokenPool.fill(3, async () => 'same')).rejects.toThrow(/same token twice/);
  });

  it('refuses an empty pool', async () => {
    await expect(TokenPool.fill(0, counter())).rejects.toThrow(/at least one token/);
  });
});

describe('scenario (c) introspection', () => {
  function fakeTarget(seen: string[], issued: { n: number }): Target {
    return {
      basic: { clientId: 'rs', clientSecret: 'secret' },
      paths: { introspection: '/introspect' },
      introspected: { description: 'test', issue: async () => `token-${issued.n++}` },
      http: {
        postForm: async (_path: string, form: Record<string, string>) => {
          seen.push(form.token!);
          return { status: 200, headers: {}, text: '{"active":true}' };
        },
      },
    } as unknown as Target;
  }

  it('shares one pool between virtual users and presents a different token on each request (RFC 7662 §2.1)', async () => {
    const seen: string[] = [];
    const issued = { n: 0 };
    const scenario = introspection(fakeTarget(seen, issued), 4);
    const [a, b] = await Promise.all([scenario.prepare(0), scenario.prepare(1)]);
    expect(a).toBe(b);
    expect(issued.n).toBe(4);
    for (let i = 0; i < 8; i++) await scenario.run(i % 2 === 0 ? a : b, i % 2);
    expect(seen.slice(0, 4).sort()).toEqual(['token-0', 'token-1', 'token-2', 'token-3']);
    expect(seen.slice(4)).toEqual(seen.slice(0, 4));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });
});
