// The challenge store port over Upstash Redis: GETDEL takes a challenge and
// removes it in one step, so each is used at most once (W3C WebAuthn §13.4.3).
import type { ChallengeStore } from '../webauthn/challenge-store.ts';
import { KEY_PREFIX, type UpstashCalls } from './client.ts';

export function createUpstashChallengeStore(upstash: UpstashCalls): ChallengeStore {
  const keyOf = (key: string) => `${KEY_PREFIX}challenge:${key}`;
  return {
    async put(key, challenge, ttlSeconds) {
      await upstash.call((redis) => redis.set(keyOf(key), challenge, { ex: Math.max(1, Math.ceil(ttlSeconds)) }));
    },
    async take(key) {
      const value = await upstash.call((redis) => redis.getdel<string>(keyOf(key)));
      return typeof value === 'string' ? value : null;
    },
  };
}
