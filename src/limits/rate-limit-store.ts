// The rate-limit port: counters with a fixed window, grouped by scope (a person,
// an address, a client). One scope's counters live together, so reading all of
// them is one round trip; scopes are spread over many Durable Objects.

export interface Counter {
  count: number;
  /** Milliseconds since the epoch when the counter expires (its window ends). */
  resetAt: number;
}

export interface RateLimitStore {
  /**
   * Adds `by` (default 1) to `key` in `scope`. A counter that is absent or expired
   * starts a window of `windowMs`; an existing one keeps its end. Answers the counter after.
   */
  hit(scope: string, key: string, windowMs: number, now: number, by?: number): Promise<Counter>;
  /** The live counters among `keys` in `scope`; absent and expired ones are left out. */
  read(scope: string, keys: readonly string[], now: number): Promise<Record<string, Counter>>;
  /** Sets `key` in `scope` to exactly `counter`, whatever was there. */
  put(scope: string, key: string, counter: Counter): Promise<void>;
  /** Forgets `keys` in `scope`. */
  remove(scope: string, keys: readonly string[]): Promise<void>;
}
