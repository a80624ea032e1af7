// The session object: one Durable Object per browser session, holding the
// session and every grant made in it as one record (src/session/session-record.ts).
// Its one method reads the record, applies a rule (src/session/session-commands.ts)
// and writes the result with no await in between: requests to one object are
// ordered, so a code is redeemed once and a refresh token rotated once. The
// alarm deletes everything once nothing in the record can be live.
import { DurableObject } from 'cloudflare:workers';
import { applySessionCommand, type SessionCommand } from '../src/session/session-commands.ts';
import { recordExpiresAt, SESSION_RECORD_FORMAT, type SessionRecord } from '../src/session/session-record.ts';
import type { Env } from './env.ts';
import { migrateSchema, schemaVersion, type SchemaStep } from './sql-schema.ts';

const SCHEMA: readonly SchemaStep[] = [
  [
    // Before the record, a session kept three tables and its grants lived in
    // objects of their own (since deleted): such a session ends here.
    `DROP TABLE IF EXISTS session`,
    `DROP TABLE IF EXISTS clients`,
    `DROP TABLE IF EXISTS interactions`,
    `CREATE TABLE session_record (
       id INTEGER PRIMARY KEY CHECK (id = 1),
       version INTEGER NOT NULL,
       expires_at INTEGER NOT NULL,
       value TEXT NOT NULL
     )`,
  ],
];

type RecordRow = { version: number; expires_at: number; value: string };

interface Held {
  record: SessionRecord;
  version: number;
  expiresAt: number;
}

export class SessionObject extends DurableObject<Env> {
  // The record as last read or written by this instance, which is its only writer;
  // null when there is none, undefined until storage has been read.
  private held: Held | null | undefined;

  /** Applies one command at `now` (the caller's clock, as every rule takes it). */
  async apply(command: SessionCommand, now: number): Promise<unknown> {
    if (command.kind === 'create' && command.id !== this.ctx.id.toString()) throw new Error('a session is created under its own object id');
    const held = this.read();
    const { next, result } = applySessionCommand(held?.record ?? null, command, now);
    if (next === 'unchanged') return result;
    if (next === null) {
      this.write(null);
      // Awaited only after the rule and the write above, which ran without yielding.
      await this.clear();
      return result;
    }
    const expiresAt = recordExpiresAt(next);
    this.write({ record: next, version: (held?.version ?? 0) + 1, expiresAt });
    if (expiresAt !== held?.expiresAt) await this.ctx.storage.setAlarm(expiresAt);
    return result;
  }

  /** Everything goes once nothing in the record can be live; an early alarm is set again. */
  override async alarm(): Promise<void> {
    const held = this.read();
    if (held && held.expiresAt > Date.now()) {
      await this.ctx.storage.setAlarm(held.expiresAt);
      return;
    }
    this.write(null);
    await this.clear();
  }

  // Reads never create tables: a lookup with an unknown or expired handle writes nothing.
  private read(): Held | null {
    if (this.held !== undefined) return this.held;
    if (schemaVersion(this.ctx.storage) === 0) return (this.held = null);
    const row = this.ctx.storage.sql.exec<RecordRow>(`SELECT version, expires_at, value FROM session_record`).toArray()[0];
    const record = row ? (JSON.parse(row.value) as SessionRecord) : null;
    // A record of a layout this code does not know is not trusted: the session ends.
    this.held = record && record.format === SESSION_RECORD_FORMAT ? { record, version: row!.version, expiresAt: row!.expires_at } : null;
    return this.held;
  }

  private write(held: Held | null): void {
    if (held === null) {
      if (schemaVersion(this.ctx.storage) > 0) this.ctx.storage.sql.exec(`DELETE FROM session_record`);
    } else {
      migrateSchema(this.ctx.storage, SCHEMA);
      this.ctx.storage.sql.exec(
        `INSERT OR REPLACE INTO session_record (id, version, expires_at, value) VALUES (1, ?, ?, ?)`,
        held.version,
        held.expiresAt,
        JSON.stringify(held.record),
      );
    }
    this.held = held;
  }

  private async clear(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}
