// A small TTL store and counter: each entry is a key with a count and an expiry.
// It backs the jti replay cache, the access token revocation list, and rate
// limits and failed-authentication lockout (hit/read/put/remove; docs/assurance.md). The adapters (workers/ttl-store.ts) decide which object
// holds which keys. Each operation reads and writes synchronously, so two
// concurrent first uses of a key cannot both succeed.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from './env.ts';
import { migrateSchema, schemaVersion, type SchemaStep } from './sql-schema.ts';

const SCHEMA: readonly SchemaStep[] = [
  // IF NOT EXISTS: objects made before the schema was versioned already hold it.
  [`CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  )`],
];

export class RateLimiterObject extends DurableObject<Env> {
  private schemaReady = false;

  /** Records `key` until `expiresAt`; false when it is already recorded and live. */
  async add(key: string, expiresAt: number, now: number): Promise<boolean> {
    this.ensureSchema();
    const live = this.live(key, now);
    if (live) return false;
    this.ctx.storage.sql.exec(`INSERT OR REPLACE INTO entries (key, count, expires_at) VALUES (?, 1, ?)`, key, expiresAt);
    await this.scheduleCleanup(expiresAt);
    return true;
  }

  /** Whether `key` is recorded and has not expired. */
  has(key: string, now: number): boolean {
    return this.tableExists() && this.live(key, now) !== null;
  }

  /**
   * Rate limits and lockout (docs/assurance.md): adds `by` to `key`; a missing or
   * expired entry starts a window ending at `expiresAt`. Answers the entry after.
   */
  async hit(key: string, expiresAt: number, now: number, by = 1): Promise<{ count: number; expiresAt: number }> {
    this.ensureSchema();
    const live = this.live(key, now);
    const entry = { count: (live?.count ?? 0) + by, expiresAt: live?.expires_at ?? expiresAt };
    this.ctx.storage.sql.exec(`INSERT OR REPLACE INTO entries (key, count, expires_at) VALUES (?, ?, ?)`, key, entry.count, entry.expiresAt);
    await this.scheduleCleanup(entry.expiresAt);
    return entry;
  }

  /** The live entries among `keys`, in one call. */
  read(keys: string[], now: number): Record<string, { count: number; expiresAt: number }> {
    const found: Record<string, { count: number; expiresAt: number }> = {};
    if (!this.tableExists()) return found;
    for (const key of keys) {
      const live = this.live(key, now);
      if (live) found[key] = { count: live.count, expiresAt: live.expires_at };
    }
    return found;
  }

  /** Sets `key` to exactly this count and expiry. */
  async put(key: string, count: number, expiresAt: number): Promise<void> {
    this.ensureSchema();
    this.ctx.storage.sql.exec(`INSERT OR REPLACE INTO entries (key, count, expires_at) VALUES (?, ?, ?)`, key, count, expiresAt);
    await this.scheduleCleanup(expiresAt);
  }

  remove(keys: string[]): void {
    if (!this.tableExists()) return;
    for (const key of keys) this.ctx.storage.sql.exec(`DELETE FROM entries WHERE key = ?`, key);
  }

  /** Drops expired entries; with none left, the object's storage goes entirely. */
  override async alarm(): Promise<void> {
    if (!this.tableExists()) return;
    this.ctx.storage.sql.exec(`DELETE FROM entries WHERE expires_at <= ?`, Date.now());
    const [next] = this.ctx.storage.sql.exec<{ at: number | null }>(`SELECT MIN(expires_at) AS at FROM entries`).toArray();
    if (next?.at != null) {
      await this.ctx.storage.setAlarm(next.at);
      return;
    }
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
  }

  private live(key: string, now: number): { count: number; expires_at: number } | null {
    const [row] = this.ctx.storage.sql
      .exec<{ count: number; expires_at: number }>(`SELECT count, expires_at FROM entries WHERE key = ?`, key)
      .toArray();
    return row && row.expires_at > now ? row : null;
  }

  private async scheduleCleanup(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private ensureSchema(): void {
    if (this.schemaReady) return;
    migrateSchema(this.ctx.storage, SCHEMA);
    this.schemaReady = true;
  }

  // Reads never create tables: asking about an unknown key writes nothing.
  private tableExists(): boolean {
    if (!this.schemaReady && schemaVersion(this.ctx.storage) > 0) this.schemaReady = true;
    if (!this.schemaReady && this.legacyTable()) this.ensureSchema();
    return this.schemaReady;
  }

  // An object made before the schema was versioned holds the table at version 0.
  private legacyTable(): boolean {
    return this.ctx.storage.sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries'`).toArray().length > 0;
  }
}
