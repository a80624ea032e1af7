// The service built inside the test isolate over the real Durable Objects and
// directory, with a clock tests can move and a grant store that records what
// the authorization endpoint asked it to issue. For assertions that black-box
// SELF.fetch cannot make (the GrantInput, time passing); SELF tests cover the rest.
import { env } from 'cloudflare:test';
import { createApp } from '../../../src/app.ts';
import { createAuditSink } from '../../../src/audit.ts';
import { readConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import type { GrantInput, Ports } from '../../../src/ports.ts';
import { createChallengeStore } from '../../../workers/challenge-store.ts';
import type { Env } from '../../../workers/env.ts';
import { createGrantStore } from '../../../workers/grant-store.ts';
import { createKeyStore } from '../../../workers/key-store.ts';
import { createSessionStore } from '../../../workers/session-store.ts';
import { createBackchannelLogoutQueue } from '../../../workers/backchannel-logout-queue.ts';
import { createReplayCache, createRevocationList } from '../../../workers/ttl-store.ts';
import { createRateLimitStore } from '../../../workers/rate-limit-store.ts';
import { testDatabase } from './directory.ts';
import type { Fetcher } from './browser.ts';

export interface TestApp {
  fetch: Fetcher;
  ports: Ports;
  /** Every GrantInput issueCode received, oldest first. */
  issued: GrantInput[];
  /** Moves the service's clock forward. */
  advance(ms: number): void;
}

export function testApp(overrides: Partial<Ports> = {}): TestApp {
  const workerEnv = env as unknown as Env;
  const config = readConfig(workerEnv);
  let offset = 0;
  const now = () => Date.now() + offset;
  const db = testDatabase();
  const grants = createGrantStore(workerEnv.SESSIONS, config, { now });
  const issued: GrantInput[] = [];
  const ports: Ports = {
    config,
    db,
    keys: createKeyStore(workerEnv.KEYS, config),
    sessions: createSessionStore(workerEnv.SESSIONS, config, now),
    grants: {
      ...grants,
      issueCode: (input) => {
        issued.push(input);
        return grants.issueCode(input);
      },
    },
    replay: createReplayCache(workerEnv.LIMITS, now),
    revocations: createRevocationList(workerEnv.LIMITS, now),
    limits: createRateLimitStore(workerEnv.LIMITS),
    challenges: createChallengeStore(workerEnv.CHALLENGES),
    assets: {},
    backchannelLogout: createBackchannelLogoutQueue(workerEnv.LOGOUTS),
    audit: createAuditSink(db, now),
    log: createLogger(() => {}, { level: 'error' }),
    now,
    ...overrides,
  };
  const app = createApp(ports);
  return {
    fetch: async (request) => app.fetch(request, workerEnv),
    ports,
    issued,
    advance: (ms) => {
      offset += ms;
    },
  };
}
