import { describe, expect, it } from 'vitest';
import { consequenceOf } from '../../../src/limits/lockout-schedule.ts';

const POLICY = { throttleAfter: 5, lockAfter: 10, delaySeconds: 15, lockSeconds: 900 };

describe('the lockout schedule (docs/assurance.md, NIST SP 800-63B §5.2.2)', () => {
  it('costs nothing for the first four failures', () => {
    for (const n of [1, 2, 3, 4]) expect(consequenceOf(n, POLICY)).toEqual({ kind: 'none' });
  });

  it('throttles from the fifth failure with a delay that doubles each time', () => {
    expect([5, 6, 7, 8, 9].map((n) => consequenceOf(n, POLICY))).toEqual([
      { kind: 'throttle', seconds: 15 },
      { kind: 'throttle', seconds: 30 },
      { kind: 'throttle', seconds: 60 },
      { kind: 'throttle', seconds: 120 },
      { kind: 'throttle', seconds: 240 },
    ]);
  });

  it('locks for the lock period at the tenth failure and beyond', () => {
    expect(consequenceOf(10, POLICY)).toEqual({ kind: 'lock', seconds: 900 });
    expect(consequenceOf(11, POLICY)).toEqual({ kind: 'lock', seconds: 900 });
  });

  it('never throttles for longer than the lock lasts', () => {
    const wide = { throttleAfter: 20, lockAfter: 100, delaySeconds: 15, lockSeconds: 900 };
    expect(consequenceOf(99, wide)).toEqual({ kind: 'throttle', seconds: 900 });
  });
});
