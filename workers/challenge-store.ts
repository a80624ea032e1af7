// The ChallengeStore port over ChallengeObject: one object per key, placed near UK users.
import type { ChallengeStore } from '../src/webauthn/challenge-store.ts';
import type { ChallengeObject } from './challenge-object.ts';
import { LOCATION_HINT } from './env.ts';

export function createChallengeStore(ns: DurableObjectNamespace<ChallengeObject>): ChallengeStore {
  const object = (key: string) => ns.get(ns.idFromName(key), { locationHint: LOCATION_HINT });
  return {
    put: (key, challenge, ttlSeconds) => object(key).put(challenge, ttlSeconds),
    take: (key) => object(key).take(),
  };
}
