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

export function buildPorts(env: Env): Ports {
  const config = readConfig(env);
  const now = () => Date.now();
  const db = createDatabase(config);
  return {
    config,
    db,
    keys: createKeyStore(env.KEYS, config),
    sessions: createSessionStore(env.SESSIONS, config),
    grants: createGrantStore(env.GRANTS, config, { db, now }),
    replay: createReplayCache(env.LIMITS, now),
    revocations: createRevocationList(env.LIMITS, now),
    limits: createRateLimitStore(env.LIMITS),
    challenges: createChallengeStore(env.CHALLENGES),
    assets: ASSETS,
    backchannelLogout: createBackchannelLogoutQueue(env.LOGOUTS),
    audit: createAuditSink(db, now),
    log: createLogger(undefined, { level: config.logLevel }),
    now,
  };
}
