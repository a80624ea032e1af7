// The replay cache and revocation list ports over Upstash Redis: one key per
// entry, expiring with it. SET NX decides a first use inside Redis, so two
// concurrent first uses of one key cannot both succeed.
import type { ReplayCache } from '../oauth/replay-cache.ts';
import type { RevocationList } from '../tokens/revocation-list.ts';
import { KEY_PREFIX, type UpstashCalls } from './client.ts';

// PXAT takes a positive whole number of milliseconds; an entry already expired
// is then dropped by Redis at once, which is what it deserves.
const expiry = (expiresAt: number) => Math.max(1, Math.ceil(expiresAt));

export function createUpstashReplayCache(upstash: UpstashCalls): ReplayCache {
  return {
    async firstUse(key, expiresAt) {
      const answer = await upstash.call((redis) => redis.set(`${KEY_PREFIX}replay:${key}`, '1', { nx: true, pxat: expiry(expiresAt) }));
      return answer === 'OK';
    },
  };
}

export function createUpstashRevocationList(upstash: UpstashCalls): RevocationList {
  const keyOf = (jti: string) => `${KEY_PREFIX}revoked:${jti}`;
  return {
    async revoke(jti, expiresAt) {
      await upstash.call((redis) => redis.set(keyOf(jti), '1', { pxat: expiry(expiresAt) }));
    },
    async isRevoked(jti) {
      return (await upstash.call((redis) => redis.exists(keyOf(jti)))) === 1;
    },
  };
}
