// Fixed-window request limits counted in the isolate and flushed to the shared
// counters in batches, so a busy endpoint pays a Durable Object round trip on
// about one request in `limit / 20` instead of every one. The count is therefore
// approximate: each isolate may hold up to one batch unflushed. Near the limit,
// and on an isolate's first request for a key, every request flushes, so small
// limits (and tests) are exact.
import type { Counter, RateLimitStore } from './rate-limit-store.ts';

/** How long a batch may wait before it is flushed anyway. */
export const FLUSH_INTERVAL_MS = 1_000;
/** Keys remembered per isolate; the oldest are forgotten beyond this. */
const MAX_KEYS = 10_000;

interface LocalCount {
  /** Requests counted here and not yet flushed. */
  pending: number;
  /** The shared counter as of the latest flush. */
  shared: Counter | null;
  flushedAt: number;
}

export class WindowLimiter {
  private readonly counts = new Map<string, LocalCount>();

  constructor(
    private readonly store: RateLimitStore,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `scope`/`key` may be used again when it is at `limit` already; null when it may. */
  blocked(scope: string, key: string, limit: number, now: number): number | null {
    const local = this.local(scope, key, now);
    if (!local.shared || local.shared.count + local.pending < limit) return null;
    return secondsUntil(local.shared.resetAt, now);
  }

  /** Counts one request; answers seconds to wait when it goes over `limit`, else null. */
  async take(scope: string, key: string, limit: number, now: number): Promise<number | null> {
    const wait = this.blocked(scope, key, limit, now);
    if (wait !== null) return wait;
    const local = this.local(scope, key, now);
    local.pending += 1;
    const batch = Math.max(1, Math.floor(limit / 20));
    const estimate = (local.shared?.count ?? 0) + local.pending;
    const due = !local.shared || local.pending >= batch || now - local.flushedAt >= FLUSH_INTERVAL_MS || estimate >= limit - batch;
    if (!due) return null;
    const by = local.pending;
    local.pending = 0;
    local.flushedAt = now;
    const shared = await this.store.hit(scope, key, this.windowMs, now, by);
    // A concurrent flush may have answered later: keep the larger count.
    if (!local.shared || shared.resetAt !== local.shared.resetAt || shared.count > local.shared.count) local.shared = shared;
    return shared.count > limit ? secondsUntil(shared.resetAt, now) : null;
  }

  private local(scope: string, key: string, now: number): LocalCount {
    const id = `${scope}\u0000${key}`;
    let local = this.counts.get(id);
    if (local?.shared && local.shared.resetAt <= now) {
      // The window ended: what was counted in it no longer matters.
      local.shared = null;
      local.pending = 0;
    }
    if (!local) {
      if (this.counts.size >= MAX_KEYS) this.counts.delete(this.counts.keys().next().value!);
      local = { pending: 0, shared: null, flushedAt: now };
      this.counts.set(id, local);
    }
    return local;
  }
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
