import { describe, expect, it } from 'vitest';
import { percentile, runLoad } from '../../../bench/load.ts';

describe('percentile (nearest rank)', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('takes the value at rank ⌈p/100 × n⌉', () => {
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it('answers the smallest value for p = 0 and clamps p outside 0–100', () => {
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, -5)).toBe(1);
    expect(percentile(sorted, 250)).toBe(10);
  });

  it('answers the only value of one sample and NaN for none', () => {
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it('p99 of 1000 samples is the 990th', () => {
    const many = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(many, 99)).toBe(990);
  });
});

describe('runLoad', () => {
  it('counts completed units and failures, and prepares a virtual user again after a failure', async () => {
    let prepared = 0;
    let calls = 0;
    const result = await runLoad(
      {
        prepare: async () => {
          prepared += 1;
          return { n: 0 };
        },
        run: async () => {
          calls += 1;
          await new Promise((r) => setTimeout(r, 5));
          if (calls % 4 === 0) throw new Error('every fourth fails');
        },
      },
      { durationS: 0.3, connections: 2, warmupS: 0, serverCpu: () => ({ server: calls / 100 }) },
    );
    expect(result.count).toBeGreaterThan(10);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.errorSamples).toEqual(['every fourth fails']);
    // Each user is prepared once, then again after each failure unless the time is up.
    expect(prepared).toBeGreaterThanOrEqual(result.errors);
    expect(prepared).toBeLessThanOrEqual(2 + result.errors);
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(4);
    expect(result.serverCpuS).toBeGreaterThan(0);
    expect(Object.keys(result.serverCpuByRole ?? {})).toEqual(['server']);
  });

  it('counts users that cannot be prepared as failures instead of giving up', async () => {
    const result = await runLoad(
      {
        prepare: async () => {
          throw new Error('no sign-in');
        },
        run: async () => {},
      },
      { durationS: 0.25, connections: 2, warmupS: 0 },
    );
    expect(result.count).toBe(0);
    expect(result.errors).toBeGreaterThanOrEqual(2);
    expect(result.errorSamples).toEqual(['no sign-in']);
  });
});
