// One object per challenge key (idFromName): holds a single WebAuthn challenge
// until it is taken or expires. The synchronous KV calls make a take atomic, so
// two verifications racing for one challenge cannot both get it.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from './env.ts';

interface HeldChallenge {
  value: string;
  expiresAt: number;
}

const KEY = 'challenge';
const MAX_TTL_SECONDS = 3600;

export class ChallengeObject extends DurableObject<Env> {
  async put(value: string, ttlSeconds: number): Promise<void> {
    if (typeof value !== 'string' || value.length === 0 || value.length > 512) throw new TypeError('bad challenge');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TTL_SECONDS) throw new TypeError('bad ttl');
    const expiresAt = Date.now() + ttlSeconds * 1000;
    this.ctx.storage.kv.put<HeldChallenge>(KEY, { value, expiresAt });
    await this.ctx.storage.setAlarm(expiresAt);
  }

  async take(): Promise<string | null> {
    const held = this.ctx.storage.kv.get<HeldChallenge>(KEY);
    if (!held) return null;
    this.ctx.storage.kv.delete(KEY);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    return held.expiresAt > Date.now() ? held.value : null;
  }

  /** An untaken challenge leaves nothing behind once it has expired. */
  override async alarm(): Promise<void> {
    const held = this.ctx.storage.kv.get<HeldChallenge>(KEY);
    if (held && held.expiresAt > Date.now()) {
      await this.ctx.storage.setAlarm(held.expiresAt);
      return;
    }
    await this.ctx.storage.deleteAll();
  }
}
