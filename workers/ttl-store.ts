// The replay cache and revocation list ports over RateLimiterObject. Each key
// gets its own object (named by purpose and key): no single object becomes the
// hot spot for a busy client, and an unknown key costs a read of nothing.
import type { ReplayCache } from '../src/oauth/replay-cache.ts';
import type { RevocationList } from '../src/tokens/revocation-list.ts';
import { LOCATION_HINT } from './env.ts';
import type { RateLimiterObject } from './rate-limiter-object.ts';

type Namespace = DurableObjectNamespace<RateLimiterObject>;

function entryObject(ns: Namespace, purpose: string, key: string): DurableObjectStub<RateLimiterObject> {
  return ns.get(ns.idFromName(`${purpose}:${key}`), { locationHint: LOCATION_HINT });
}

export function createReplayCache(ns: Namespace, now: () => number): ReplayCache {
  return {
    firstUse: (key, expiresAt) => entryObject(ns, 'replay', key).add(key, expiresAt, now()),
  };
}

export function createRevocationList(ns: Namespace, now: () => number): RevocationList {
  return {
    async revoke(jti, expiresAt) {
      await entryObject(ns, 'revoked', jti).add(jti, expiresAt, now());
    },
    isRevoked: (jti) => entryObject(ns, 'revoked', jti).has(jti, now()),
  };
}
