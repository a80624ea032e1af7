// An in-memory RateLimitStore for plain Node tests of the lockout and limiter
// logic; test/worker/limits covers the Durable Object one.
import type { Counter, RateLimitStore } from '../../../src/limits/rate-limit-store.ts';

export class MemoryRateLimitStore implements RateLimitStore {
  readonly entries = new Map<string, Counter>();
  /** How many calls reached the store: what the window limiter saves. */
  calls = 0;

  private live(id: string, now: number): Counter | undefined {
    const entry = this.entries.get(id);
    return entry && entry.resetAt > now ? entry : undefined;
  }

  async hit(scope: string, key: string, windowMs: number, now: number, by = 1): Promise<Counter> {
    this.calls++;
    const id = `${scope}/${key}`;
    const live = this.live(id, now);
    const next = { count: (live?.count ?? 0) + by, resetAt: live?.resetAt ?? now + windowMs };
    this.entries.set(id, next);
    return { ...next };
  }

  async read(scope: string, keys: readonly string[], now: number): Promise<Record<string, Counter>> {
    this.calls++;
    const found: Record<string, Counter> = {};
    for (const key of keys) {
      const live = this.live(`${scope}/${key}`, now);
      if (live) found[key] = { ...live };
    }
    return found;
  }

  async put(scope: string, key: string, counter: Counter): Promise<void> {
    this.calls++;
    this.entries.set(`${scope}/${key}`, { ...counter });
  }

  async remove(scope: string, keys: readonly string[]): Promise<void> {
    this.calls++;
    for (const key of keys) this.entries.delete(`${scope}/${key}`);
  }
}
