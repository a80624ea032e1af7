// The BackchannelLogoutQueue port over BackchannelLogoutObject: one object per
// ended session, named by its sid, so queuing the same session twice lands in
// the same object and each client is notified once.
import type { BackchannelLogoutQueue } from '../src/logout/backchannel-queue.ts';
import type { BackchannelLogoutObject } from './backchannel-logout-object.ts';
import { LOCATION_HINT } from './env.ts';

export function backchannelLogoutStub(ns: DurableObjectNamespace<BackchannelLogoutObject>, sessionId: string) {
  return ns.get(ns.idFromName(sessionId), { locationHint: LOCATION_HINT });
}

export function createBackchannelLogoutQueue(ns: DurableObjectNamespace<BackchannelLogoutObject>): BackchannelLogoutQueue {
  return {
    async enqueue(logout, now) {
      if (logout.clientIds.length === 0) return;
      await backchannelLogoutStub(ns, logout.sessionId).schedule(logout, now);
    },
  };
}
