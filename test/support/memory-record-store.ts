// An in-memory RecordStore (src/state/record-store.ts): values are kept as JSON
// text, as a remote store keeps them, so nothing a rule returns is shared with
// what a later read gets. Runtime-neutral: Node tests, and the model a Redis or
// SQL adapter follows (read; compare the version, write, bump it, set the expiry).
import type { RecordStore, StoredRecord } from '../../src/state/record-store.ts';

interface Entry {
  json: string;
  version: number;
  expiresAt: number;
}

export class MemoryRecordStore implements RecordStore {
  private readonly entries = new Map<string, Entry>();
  /** Writes refused because another writer got there first: what the retry loop absorbed. */
  conflicts = 0;
  writes = 0;
  /** Runs after each read has taken its snapshot: a test can hold readers there to make them race. */
  afterRead: ((key: string) => Promise<void>) | null = null;

  /** `now` is the store's clock for expiry; tests may move it. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  private live(key: string): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return entry;
    this.entries.delete(key);
    return null;
  }

  async read(key: string): Promise<StoredRecord | null> {
    const entry = this.live(key);
    const snapshot = entry ? { value: JSON.parse(entry.json), version: entry.version, expiresAt: entry.expiresAt } : null;
    await this.afterRead?.(key);
    return snapshot;
  }

  async compareAndSet(key: string, expectedVersion: number, value: unknown, expiresAt: number): Promise<boolean> {
    const entry = this.live(key);
    if ((entry?.version ?? 0) !== expectedVersion) {
      this.conflicts++;
      return false;
    }
    this.writes++;
    if (value === null) this.entries.delete(key);
    else this.entries.set(key, { json: JSON.stringify(value), version: expectedVersion + 1, expiresAt });
    return true;
  }

  /** The keys holding a live record, for tests that count objects. */
  keys(): string[] {
    return [...this.entries.keys()].filter((k) => this.live(k) !== null);
  }
}

/** Holds the first `count` reads until all of them have read: they then decide on the same version, so their writes collide. */
export function raceReads(records: MemoryRecordStore, count: number): void {
  let arrived = 0;
  let release!: () => void;
  const together = new Promise<void>((resolve) => (release = resolve));
  records.afterRead = async () => {
    if (arrived >= count) return;
    if (++arrived === count) release();
    await together;
  };
}
