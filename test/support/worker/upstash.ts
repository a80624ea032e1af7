// The Upstash ports for workerd tests, over the REST bridge and redis-server
// that test/support/node/redis-global-setup.ts starts.
import { inject } from 'vitest';
import type { Ports } from '../../../src/ports.ts';
import { createUpstashCalls, type UpstashCalls } from '../../../src/upstash/client.ts';
import { createUpstashRateLimitStore } from '../../../src/upstash/rate-limit-store.ts';
import { createUpstashReplayCache, createUpstashRevocationList } from '../../../src/upstash/ttl-store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    upstash: { url: string; token: string; silentUrl: string } | { missing: string };
  }
}

/** The bridge's URL and token; fails the test, saying why, when redis-server could not start. */
export function upstashEndpoint(): { url: string; token: string; silentUrl: string } {
  const upstash = inject('upstash');
  if ('missing' in upstash) throw new Error(upstash.missing);
  return upstash;
}

export function upstashCalls(timeoutMs = 5_000): UpstashCalls {
  const { url, token } = upstashEndpoint();
  return createUpstashCalls({ url, token }, timeoutMs);
}

/** The three ports Upstash takes over from the Durable Objects when configured. */
export function upstashPorts(calls: UpstashCalls = upstashCalls()): Pick<Ports, 'replay' | 'revocations' | 'limits'> {
  return {
    replay: createUpstashReplayCache(calls),
    revocations: createUpstashRevocationList(calls),
    limits: createUpstashRateLimitStore(calls),
  };
}
