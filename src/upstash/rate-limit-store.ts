// The rate-limit port over Upstash Redis: each counter is a hash {count, reset_at}
// at `wi:rl:{<scope>}:<key>`. The braces are a Redis Cluster hash tag: one
// scope's counters share a slot, so a script may touch them all at once.
// Windows are judged by the caller's clock, as the Durable Object does; Redis's
// own expiry only cleans up, a little late so clock skew cannot cut a window short.
import type { Counter, RateLimitStore } from '../limits/rate-limit-store.ts';
import { KEY_PREFIX, type UpstashCalls } from './client.ts';

const CLEANUP_SLACK_MS = 60_000;

// Counters are formatted with %d: Lua numbers are doubles, and Redis would
// otherwise be handed epoch milliseconds in exponent notation.
const HIT = `
local now = tonumber(ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'count', 'reset_at')
local count, reset_at = tonumber(fields[1]), tonumber(fields[2])
if not count or not reset_at or reset_at <= now then
  count, reset_at = 0, now + tonumber(ARGV[2])
end
count = count + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'count', string.format('%d', count), 'reset_at', string.format('%d', reset_at))
redis.call('PEXPIREAT', KEYS[1], string.format('%d', reset_at + tonumber(ARGV[4])))
return {count, reset_at}
`;

// Answers count, reset_at for each key in order; false, false for one absent or expired.
const READ = `
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local fields = redis.call('HMGET', key, 'count', 'reset_at')
  local count, reset_at = tonumber(fields[1]), tonumber(fields[2])
  if count and reset_at and reset_at > now then
    out[2 * i - 1], out[2 * i] = count, reset_at
  else
    out[2 * i - 1], out[2 * i] = false, false
  end
end
return out
`;

const PUT = `
redis.call('HSET', KEYS[1], 'count', ARGV[1], 'reset_at', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1
`;

export function createUpstashRateLimitStore(upstash: UpstashCalls): RateLimitStore {
  const keyOf = (scope: string, key: string) => `${KEY_PREFIX}rl:{${scope}}:${key}`;
  const whole = (ms: number) => Math.ceil(ms);
  return {
    async hit(scope, key, windowMs, now, by = 1) {
      const [count, resetAt] = await upstash.call((redis) =>
        redis.eval<string[], [number, number]>(HIT, [keyOf(scope, key)], [String(whole(now)), String(whole(windowMs)), String(by), String(CLEANUP_SLACK_MS)]),
      );
      return { count, resetAt };
    },
    async read(scope, keys, now) {
      if (keys.length === 0) return {};
      const values = await upstash.call((redis) =>
        redis.eval<string[], (number | null)[]>(READ, keys.map((key) => keyOf(scope, key)), [String(whole(now))]),
      );
      const found: Record<string, Counter> = {};
      keys.forEach((key, i) => {
        const count = values[2 * i];
        const resetAt = values[2 * i + 1];
        if (typeof count === 'number' && typeof resetAt === 'number') found[key] = { count, resetAt };
      });
      return found;
    },
    async put(scope, key, counter) {
      const resetAt = whole(counter.resetAt);
      await upstash.call((redis) =>
        redis.eval(PUT, [keyOf(scope, key)], [String(counter.count), String(resetAt), String(resetAt + CLEANUP_SLACK_MS)]),
      );
    },
    async remove(scope, keys) {
      if (keys.length === 0) return;
      await upstash.call((redis) => redis.del(...keys.map((key) => keyOf(scope, key))));
    },
  };
}
