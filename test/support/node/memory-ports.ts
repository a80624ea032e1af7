// The core's ports in memory, for Node tests of whole flows through
// createApp(ports).request(...): sessions and grants over the memory record
// store (the portable path of src/state/record-store.ts), keys, caches, limits
// and queues in maps. Only the directory is real (libSQL: a server started by
// the test), since it is SQL. Overrides replace any port, as buildPorts takes them.
import type { JSONWebKeySet } from 'jose';
import { createAuditSink } from '../../../src/audit.ts';
import type { Config } from '../../../src/config.ts';
import { generateSigningKey, importSigningKey } from '../../../src/keys/key-generation.ts';
import { createLogger } from '../../../src/log.ts';
import type { SessionLogout } from '../../../src/logout/backchannel-queue.ts';
import { grantStoreOn } from '../../../src/oauth/grant-store-on-objects.ts';
import { pushedRequestStoreOn } from '../../../src/oauth/pushed-request-store.ts';
import type { Database, KeyStore, Ports, SigningAlg, SigningKey } from '../../../src/ports.ts';
import { recordStoreSessionObjects } from '../../../src/session/session-objects.ts';
import { sessionStoreOn } from '../../../src/session/session-store-on-objects.ts';
import { MemoryRecordStore } from '../memory-record-store.ts';
import { deviceStoreOn } from '../../../src/device/device-store.ts';
import { recordStoreDeviceObjects } from '../../../src/device/device-objects.ts';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';

/** One key per algorithm, made on first use; no rotation (test/worker/keys covers it). */
export function memoryKeyStore(): KeyStore {
  const keys = new Map<SigningAlg, Promise<{ signing: SigningKey; publicJwk: Record<string, unknown> }>>();
  const keyFor = (alg: SigningAlg) => {
    let key = keys.get(alg);
    if (!key) {
      key = generateSigningKey(alg).then(async (g) => ({
        signing: { kid: g.kid, alg, privateKey: await importSigningKey(alg, g.privateJwk) },
        publicJwk: { ...g.publicJwk, kid: g.kid, alg, use: 'sig' },
      }));
      keys.set(alg, key);
    }
    return key;
  };
  return {
    async jwks(): Promise<JSONWebKeySet> {
      await Promise.all((['RS256', 'ES256'] as const).map(keyFor));
      return { keys: (await Promise.all([...keys.values()])).map((k) => k.publicJwk) as JSONWebKeySet['keys'] };
    },
    signingKey: async (alg) => (await keyFor(alg)).signing,
    rotate: async () => [],
    publishedKeys: async () => (await Promise.all([...keys.values()])).map((k) => ({ kid: k.signing.kid, alg: k.signing.alg, state: 'current' as const })),
  };
}

/** Entries with an expiry: the replay cache and the revocation list. */
function expiringSet(now: () => number) {
  const until = new Map<string, number>();
  const live = (key: string) => (until.get(key) ?? 0) > now();
  return { until, live };
}

export interface MemoryPorts extends Ports {
  records: MemoryRecordStore;
  /** Back-channel logouts queued, oldest first. */
  logouts: SessionLogout[];
}

export function memoryPorts(config: Config, db: Database, overrides: Partial<Ports> = {}): MemoryPorts {
  const now = overrides.now ?? (() => Date.now());
  const records = new MemoryRecordStore(now);
  const objects = recordStoreSessionObjects(records);
  const replay = expiringSet(now);
  const revoked = expiringSet(now);
  const challenges = new Map<string, { value: string; expiresAt: number }>();
  const logouts: SessionLogout[] = [];
  return {
    config,
    db,
    keys: memoryKeyStore(),
    sessions: sessionStoreOn(objects, config, now),
    grants: grantStoreOn(objects, config, { now }),
    devices: deviceStoreOn(recordStoreDeviceObjects(records)),
    replay: {
      async firstUse(key, expiresAt) {
        if (replay.live(key)) return false;
        replay.until.set(key, expiresAt);
        return true;
      },
    },
    revocations: {
      revoke: async (jti, expiresAt) => void revoked.until.set(jti, expiresAt),
      isRevoked: async (jti) => revoked.live(jti),
    },
    limits: new MemoryRateLimitStore(),
    challenges: {
      put: async (key, value, ttlSeconds) => void challenges.set(key, { value, expiresAt: now() + ttlSeconds * 1000 }),
      async take(key) {
        const held = challenges.get(key);
        challenges.delete(key);
        return held && held.expiresAt > now() ? held.value : null;
      },
    },
    pushedRequests: pushedRequestStoreOn(new MemoryRecordStore(now), now),
    assets: {},
    backchannelLogout: { enqueue: async (logout) => void logouts.push(logout) },
    audit: createAuditSink(db, now),
    log: createLogger(() => {}, { level: 'error' }),
    now,
    ...overrides,
    records,
    logouts,
  };
}
