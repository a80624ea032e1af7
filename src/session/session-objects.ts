// The port the session and grant stores run on: apply one command to the record
// of one session object, atomically. workers/session-objects.ts implements it
// with a Durable Object per session; recordStoreSessionObjects below, with any
// versioned record store (memory in tests; Redis or SQL elsewhere).
import { applyWithRetry, type RecordStore } from '../state/record-store.ts';
import { applySessionCommand, type SessionCommand, type SessionCommandResult } from './session-commands.ts';
import { recordExpiresAt, type SessionRecord } from './session-record.ts';

/** A session object id: 64 hex digits, as a Durable Object id is. */
export const OBJECT_ID = /^[0-9a-f]{64}$/;

export interface SessionObjects {
  /** A new, unguessable object id. */
  newId(): string;
  /**
   * Runs `command` against the object's record at `now`. An id that names no
   * object of this store answers as a record that does not exist.
   */
  apply<C extends SessionCommand>(id: string, command: C, now: number): Promise<SessionCommandResult<C>>;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Session objects as records under `session:<id>` in a record store, with compare-and-set and retry. */
export function recordStoreSessionObjects(store: RecordStore, prefix = 'session:'): SessionObjects {
  return {
    newId: () => hex(crypto.getRandomValues(new Uint8Array(32))),
    async apply(id, command, now) {
      if (!OBJECT_ID.test(id)) return applySessionCommand(null, command, now).result;
      return applyWithRetry<SessionRecord, SessionCommandResult<typeof command>>(
        store,
        `${prefix}${id}`,
        (record) => applySessionCommand(record, command, now),
        recordExpiresAt,
      );
    },
  };
}
