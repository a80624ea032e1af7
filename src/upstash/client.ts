// The Upstash Redis client behind the Upstash ports (replay cache, records,
// revocation list, rate limits), and the one way they call it: with a deadline,
// and with any failure reported as the store being unavailable (503), as the
// directory database does.
import { Redis } from '@upstash/redis/cloudflare';
import { UnavailableError } from '../errors.ts';

/** Every key the service writes starts with this, so it can share a Redis with others. */
export const KEY_PREFIX = 'wi:';

export interface UpstashCalls {
  call<T>(command: (redis: Redis) => Promise<T>): Promise<T>;
}

export function createUpstashCalls(upstash: { url: string; token: string }, timeoutMs: number): UpstashCalls {
  const redis = new Redis({
    url: upstash.url,
    token: upstash.token,
    // A signal *function* is made afresh for each request, and its abort is
    // thrown; a plain signal's abort would come back as a successful result.
    signal: () => AbortSignal.timeout(timeoutMs),
    // No retries: a SET NX or a hit whose answer was lost may have been applied,
    // and sending it again would refuse a first use or count a hit twice. (The
    // client's default is five, with backoff growing to seconds; `false` still tries twice.)
    retry: { retries: 0 },
    // Batching commands across calls would settle one request's promise from
    // another request's context, which workerd does not allow.
    enableAutoPipelining: false,
    enableTelemetry: false,
    // Values here are counters and markers: no JSON to revive.
    automaticDeserialization: false,
  });
  return {
    async call(command) {
      try {
        return await command(redis);
      } catch (cause) {
        // The client does not tell a refused connection, a timeout or a 5xx from
        // a command error, and the commands here do not fail on a healthy store.
        throw new UnavailableError('the Redis store', { cause });
      }
    },
  };
}
