// What the n-th failed authentication within the window costs (docs/assurance.md "Lockout and rate limits",
// NIST SP 800-63B §5.2.2 "rate limiting"): nothing at first, then a delay that
// doubles with each further failure, then a lock for a fixed period.
import type { LockoutThresholds } from '../config.ts';

export interface LockoutPolicy extends LockoutThresholds {
  delaySeconds: number;
  lockSeconds: number;
}

type Consequence =
  | { kind: 'none' }
  | { kind: 'throttle'; seconds: number }
  | { kind: 'lock'; seconds: number };

/** The consequence of reaching `failures` failures (counting the one just made). */
export function consequenceOf(failures: number, policy: LockoutPolicy): Consequence {
  if (failures >= policy.lockAfter) return { kind: 'lock', seconds: policy.lockSeconds };
  if (failures >= policy.throttleAfter) {
    const seconds = policy.delaySeconds * 2 ** (failures - policy.throttleAfter);
    // A throttle never outlasts the lock it leads to.
    return { kind: 'throttle', seconds: Math.min(seconds, policy.lockSeconds) };
  }
  return { kind: 'none' };
}
