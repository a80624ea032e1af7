// The replay cache and revocation list ports over RateLimiterObject. Keys are
// spread over a fixed set of objects per purpose by a hash of the key: one
// object per key (as before) made every fresh jti create a new SQLite-backed
// object, which was over half the CPU of a private_key_jwt request (docs/benchmark.md,
// `--profile`); a fixed set keeps the objects warm, and no single object carries
// every key. Each object still checks and records a key in one synchronous
// step, so two concurrent first uses of one key cannot both succeed.
import type { ReplayCache } from '../src/oauth/replay-cache.ts';
import type { RevocationList } from '../src/tokens/revocation-list.ts';
import { LOCATION_HINT } from './env.ts';
import type { RateLimiterObject } from './rate-limiter-object.ts';

type Namespace = DurableObjectNamespace<RateLimiterObject>;

/** Objects per purpose. Changing it moves keys between objects, so live entries would be missed: never lower it while entries are live. */
export const TTL_SHARDS = 64;

/** FNV-1a over the key's UTF-16 code units: cheap, stable across isolates and releases. */
export function shardOf(key: string, shards: number = TTL_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

function shardObject(ns: Namespace, purpose: string, key: string): DurableObjectStub<RateLimiterObject> {
  return ns.get(ns.idFromName(`${purpose}-shard:${shardOf(key)}`), { locationHint: LOCATION_HINT });
}

export function createReplayCache(ns: Namespace, now: () => number): ReplayCache {
  return {
    firstUse: (key, expiresAt) => shardObject(ns, 'replay', key).add(key, expiresAt, now()),
  };
}

export function createRevocationList(ns: Namespace, now: () => number): RevocationList {
  return {
    async revoke(jti, expiresAt) {
      await shardObject(ns, 'revoked', jti).add(jti, expiresAt, now());
    },
    isRevoked: (jti) => shardObject(ns, 'revoked', jti).has(jti, now()),
  };
}
