// Builds the core's ports from the Worker's bindings, once per isolate.
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createAuditSink } from '../src/audit.ts';
import { createDatabase } from '../src/directory/database.ts';
import type { Ports } from '../src/ports.ts';
import type { Env } from './env.ts';
import { createKeyStore } from './key-store.ts';
import { createGrantStore } from './grant-store.ts';
import { createSessionStore } from './session-store.ts';
import { createChallengeStore } from './challenge-store.ts';
import { ASSETS } from './assets.ts';
import { createReplayCache, createRevocationList } from './ttl-store.ts';
import { createRateLimitStore } from './rate-limit-store.ts';
import { createBackchannelLogoutQueue } from './backchannel-logout-queue.ts';
import { createUpstashCalls } from '../src/upstash/client.ts';
import { createUpstashReplayCache, createUpstashRevocationList } from '../src/upstash/ttl-store.ts';
import { createUpstashRateLimitStore } from '../src/upstash/rate-limit-store.ts';
import { deviceStoreOn } from '../src/device/device-store.ts';
import { durableDeviceObjects } from './device-objects.ts';
import { pushedRequestStoreOn } from '../src/oauth/pushed-request-store.ts';
import { createRecordStore } from './record-store.ts';

/**
 * `overrides` replace ports (tests: a clock, a database, a quiet log); the
 * stores built here run on the overriding clock, database and config too.
 */
export function buildPorts(env: Env, overrides: Partial<Ports> = {}): Ports {
  const config = overrides.config ?? readConfig(env);
  const now = overrides.now ?? (() => Date.now());
  const db = overrides.db ?? createDatabase(config);
  // Contract §1: with Upstash configured, it holds the replay caches, the revocation list and rate limits.
  const upstash = config.upstash && createUpstashCalls(config.upstash, config.dbTimeoutMs);
  return {
    config,
    db,
    keys: createKeyStore(env.KEYS, config),
    // One object per browser session holds the session and every grant made in it.
    sessions: createSessionStore(env.SESSIONS, config, now),
    grants: createGrantStore(env.SESSIONS, config, { now }),
    devices: deviceStoreOn(durableDeviceObjects(env.DEVICES)),
    replay: upstash ? createUpstashReplayCache(upstash) : createReplayCache(env.LIMITS, now),
    revocations: upstash ? createUpstashRevocationList(upstash) : createRevocationList(env.LIMITS, now),
    limits: upstash ? createUpstashRateLimitStore(upstash) : createRateLimitStore(env.LIMITS),
    challenges: createChallengeStore(env.CHALLENGES),
    // RFC 9126: one object per pushed request, so a take is exactly-once.
    pushedRequests: pushedRequestStoreOn(createRecordStore(env.RECORDS, 'par'), now),
    assets: ASSETS,
    backchannelLogout: createBackchannelLogoutQueue(env.LOGOUTS),
    audit: createAuditSink(db, now),
    log: createLogger(undefined, { level: config.logLevel }),
    now,
    ...overrides,
  };
}
