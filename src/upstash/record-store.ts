// The record store port over Upstash Redis (the Deno entry's sessions and
// grants): each record is a hash {v: version, d: JSON, x: expiry} at
// `wi:rec:<key>`. The compare-and-set runs as one Lua script, so the version
// check and the write are a single step inside Redis.
import type { RecordStore, StoredRecord } from '../state/record-store.ts';
import { KEY_PREFIX, type UpstashCalls } from './client.ts';

// ARGV: expected version, JSON ('' deletes), expiry in ms. Versions and times
// are formatted with %d: Lua numbers are doubles and would print in exponent form.
const COMPARE_AND_SET = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v')) or 0
if current ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('HSET', KEYS[1], 'v', string.format('%d', current + 1), 'd', ARGV[2], 'x', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1
`;

// HMGET answers nil for an absent field, which EVAL turns into false: all three or nothing.
const READ = `return redis.call('HMGET', KEYS[1], 'v', 'd', 'x')`;

export function createUpstashRecordStore(upstash: UpstashCalls, purpose: string): RecordStore {
  const keyOf = (key: string) => `${KEY_PREFIX}rec:${purpose}:${key}`;
  return {
    async read(key): Promise<StoredRecord | null> {
      const [version, data, expiresAt] = await upstash.call((redis) => redis.eval<string[], (string | null)[]>(READ, [keyOf(key)], []));
      if (!version || !data || !expiresAt) return null;
      return { version: Number(version), value: JSON.parse(data) as unknown, expiresAt: Number(expiresAt) };
    },
    async compareAndSet(key, expectedVersion, value, expiresAt) {
      // Redis takes a positive whole number of milliseconds; an expired record goes at once.
      const expiry = String(Math.max(1, Math.ceil(expiresAt)));
      const written = await upstash.call((redis) =>
        redis.eval<string[], number>(COMPARE_AND_SET, [keyOf(key)], [String(expectedVersion), value === null ? '' : JSON.stringify(value), expiry]),
      );
      return written === 1;
    },
  };
}
