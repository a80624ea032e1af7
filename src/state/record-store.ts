// The one port strongly consistent state needs from a store without Durable
// Objects (memory in tests, Redis with a Lua compare-and-set, SQL): versioned
// records with an expiry, under string keys, holding JSON values. A rule is
// applied by reading, computing the next value, and compare-and-setting it; a
// concurrent writer makes the compare fail and the whole step is retried, so
// two racing redemptions of one code cannot both win.
import { UnavailableError } from '../errors.ts';

export interface StoredRecord {
  /** A JSON value, as written. */
  value: unknown;
  /** 1 for the first write, one more for each later one; versions restart after a delete (keys are never reused). */
  version: number;
  /** Milliseconds since the epoch; a store never returns a record past it. */
  expiresAt: number;
}

export interface RecordStore {
  /** The live record under `key`, or null. */
  read(key: string): Promise<StoredRecord | null>;
  /**
   * Writes `value` (null deletes) only if the record is still at
   * `expectedVersion` (0: absent or expired); false, changing nothing, otherwise.
   */
  compareAndSet(key: string, expectedVersion: number, value: unknown, expiresAt: number): Promise<boolean>;
}

/** A rule's step: the next value (null deletes, 'unchanged' writes nothing) and the caller's answer. */
export interface Step<T, R> {
  next: T | null | 'unchanged';
  result: R;
}

/**
 * Conflicts tolerated before giving up; each retry reads again, so this bounds
 * only real contention. A session's record takes every grant made in it, so one
 * browser and its clients may write it from several requests at once.
 */
export const MAX_ATTEMPTS = 32;
/** The longest wait between attempts, in milliseconds. */
const MAX_BACKOFF_MS = 50;

/** Too many writers at once: a 503 with Retry-After, as any store that cannot answer. */
export class RecordContentionError extends UnavailableError {
  constructor(key: string) {
    super('the session store', { cause: new Error(`record ${key} changed under ${MAX_ATTEMPTS} attempts in a row`) });
  }
}

/**
 * Applies `step` to the record under `key` atomically: read, step, compare-and-set,
 * again from the read on conflict. `step` must be pure: it may run more than once.
 */
export async function applyWithRetry<T, R>(
  store: RecordStore,
  key: string,
  step: (current: T | null) => Step<T, R>,
  expiresAtOf: (value: T) => number,
): Promise<R> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await store.read(key);
    const { next, result } = step(stored ? (stored.value as T) : null);
    if (next === 'unchanged') return result;
    if (next === null && !stored) return result;
    const written = next === null
      ? await store.compareAndSet(key, stored!.version, null, 0)
      : await store.compareAndSet(key, stored?.version ?? 0, next, expiresAtOf(next));
    if (written) return result;
    // Writers that collided would collide again if they retried in step: full jitter, growing.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt)));
  }
  throw new RecordContentionError(key);
}
