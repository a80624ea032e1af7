// The service built inside the test isolate over the real Durable Objects and
// directory, with a clock tests can move and a grant store that records what
// the authorization endpoint asked it to issue. For assertions that black-box
// SELF.fetch cannot make (the GrantInput, time passing); SELF tests cover the rest.
import { env } from 'cloudflare:test';
import { createApp } from '../../../src/app.ts';
import { createLogger } from '../../../src/log.ts';
import type { GrantInput, Ports } from '../../../src/ports.ts';
import type { Env } from '../../../workers/env.ts';
import { buildPorts } from '../../../workers/ports.ts';
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
  let offset = 0;
  const now = () => Date.now() + offset;
  // The Worker's own wiring over the test bindings, without Upstash, on the movable clock.
  const base = buildPorts(workerEnv, { db: testDatabase(), now, assets: {}, log: createLogger(() => {}, { level: 'error' }), ...overrides });
  const issued: GrantInput[] = [];
  const grants = base.grants;
  const ports: Ports = {
    ...base,
    grants: {
      ...grants,
      issueCode: (input) => {
        issued.push(input);
        return grants.issueCode(input);
      },
    },
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
