// The session objects port (src/session/session-objects.ts) over Durable
// Objects: one SessionObject per browser session, named by 256 random bits.
import { randomToken } from '../src/secrets.ts';
import { applySessionCommand, type SessionCommandResult } from '../src/session/session-commands.ts';
import { OBJECT_ID, type SessionObjects } from '../src/session/session-objects.ts';
import { LOCATION_HINT } from './env.ts';
import type { SessionObject } from './session-object.ts';

export function durableSessionObjects(ns: DurableObjectNamespace<SessionObject>): SessionObjects {
  /** The object's id, or null when the id is not one this namespace made. */
  function idOf(hex: string): DurableObjectId | null {
    if (!OBJECT_ID.test(hex)) return null;
    try {
      return ns.idFromString(hex);
    } catch {
      return null;
    }
  }

  return {
    // A name of 256 random bits, not newUniqueId(): as unguessable, and in
    // workerd's profile newUniqueId was a tenth of a sign-in's CPU.
    newId: () => ns.idFromName(randomToken()).toString(),
    async apply(id, command, now) {
      const objectId = idOf(id);
      // An id that names no object here answers as a session that does not exist.
      if (!objectId) return applySessionCommand(null, command, now).result;
      const result = await ns.get(objectId, { locationHint: LOCATION_HINT }).apply(command, now);
      return result as SessionCommandResult<typeof command>;
    },
  };
}
