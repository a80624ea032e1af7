// The rate-limit port over RateLimiterObject: one object per scope (a person, an
// address, a client), so a scope's counters are read in one round trip and no
// single object carries every address's traffic.
import type { RateLimitStore } from '../src/limits/rate-limit-store.ts';
import { LOCATION_HINT } from './env.ts';
import type { RateLimiterObject } from './rate-limiter-object.ts';

type Namespace = DurableObjectNamespace<RateLimiterObject>;

export function createRateLimitStore(ns: Namespace): RateLimitStore {
  const objectFor = (scope: string) => ns.get(ns.idFromName(`limit:${scope}`), { locationHint: LOCATION_HINT });
  return {
    async hit(scope, key, windowMs, now, by = 1) {
      const entry = await objectFor(scope).hit(key, now + windowMs, now, by);
      return { count: entry.count, resetAt: entry.expiresAt };
    },
    async read(scope, keys, now) {
      const entries = await objectFor(scope).read([...keys], now);
      return Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, { count: e.count, resetAt: e.expiresAt }]));
    },
    async put(scope, key, counter) {
      await objectFor(scope).put(key, counter.count, counter.resetAt);
    },
    async remove(scope, keys) {
      await objectFor(scope).remove([...keys]);
    },
  };
}
