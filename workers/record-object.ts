// One object per record key: a versioned JSON value with an expiry, the
// RecordStore port (src/state/record-store.ts) on a Durable Object. Read and
// compare-and-set run on the synchronous KV API with no await between the
// compare and the write, so two writers at one version cannot both succeed.
// Used for pushed authorization requests (RFC 9126), one object per request.
import { DurableObject } from 'cloudflare:workers';
import type { StoredRecord } from '../src/state/record-store.ts';
import type { Env } from './env.ts';

const KEY = 'record';
// Records here are short-lived (a pushed request lives a minute); a day bounds a bad expiry.
const MAX_LIFETIME_MS = 24 * 3600 * 1000;
const MAX_VALUE_BYTES = 64 * 1024;

export class RecordObject extends DurableObject<Env> {
  private live(): StoredRecord | null {
    const held = this.ctx.storage.kv.get<StoredRecord>(KEY);
    return held && held.expiresAt > Date.now() ? held : null;
  }

  async read(): Promise<StoredRecord | null> {
    return this.live();
  }

  async compareAndSet(expectedVersion: number, value: unknown, expiresAt: number): Promise<boolean> {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) throw new TypeError('bad version');
    const held = this.live();
    if ((held?.version ?? 0) !== expectedVersion) return false;
    if (value === null) {
      this.ctx.storage.kv.delete(KEY);
      await this.ctx.storage.deleteAlarm();
      // Versions restart after a delete; record keys are never reused.
      await this.ctx.storage.deleteAll();
      return true;
    }
    if (JSON.stringify(value).length > MAX_VALUE_BYTES) throw new TypeError('record too large');
    const until = Math.min(expiresAt, Date.now() + MAX_LIFETIME_MS);
    this.ctx.storage.kv.put<StoredRecord>(KEY, { value, version: expectedVersion + 1, expiresAt: until });
    await this.ctx.storage.setAlarm(until);
    return true;
  }

  /** An expired record leaves nothing behind. */
  override async alarm(): Promise<void> {
    const held = this.ctx.storage.kv.get<StoredRecord>(KEY);
    if (held && held.expiresAt > Date.now()) {
      await this.ctx.storage.setAlarm(held.expiresAt);
      return;
    }
    await this.ctx.storage.deleteAll();
  }
}
